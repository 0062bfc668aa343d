// The paper-entry desk (M16), keyboard only. The form works without this file (Tab between
// fields, the button saves); with it: Enter on the code looks the household up and moves on, a
// satisfaction digit 1-5 or a single choice's number moves to the next question by itself,
// Enter skips to the next question, Enter in the opinion saves (Shift+Enter for a new line), and
// Backspace in an empty answer goes back one.
(function () {
  "use strict";

  function setUp() {
    var form = document.getElementById("entry-form");
    if (!form) return;
    var code = form.elements.code;
    var household = document.getElementById("entry-household");
    var fields = Array.prototype.slice.call(
      form.querySelectorAll(".answers input, .answers textarea")
    );

    function move(from, step) {
      var i = fields.indexOf(from) + step;
      if (i < 0) { code.focus(); code.select(); return; }
      if (i >= fields.length) { form.requestSubmit(); return; }
      fields[i].focus();
      if (fields[i].select) fields[i].select();
    }

    function lookUp() {
      var value = code.value.trim();
      if (!value) return;
      var url = form.dataset.lookup + "?code=" + encodeURIComponent(value);
      fetch(url, { headers: { "X-Requested-With": "fetch" }, credentials: "same-origin" })
        .then(function (response) {
          return response.text().then(function (html) { return { ok: response.ok, html: html }; });
        })
        .then(function (result) {
          household.innerHTML = result.html;
          household.classList.toggle("error", !result.ok);
          if (result.ok && fields.length) {
            code.removeAttribute("aria-invalid");
            fields[0].focus();
          } else {
            code.setAttribute("aria-invalid", "true");
            code.select();
          }
        });
    }

    code.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();
        lookUp();
      }
    });

    fields.forEach(function (field) {
      var kind = field.dataset.kind;
      var options = parseInt(field.dataset.options || "0", 10);
      field.addEventListener("keydown", function (event) {
        if (event.ctrlKey || event.metaKey || event.altKey) return;
        if (event.key === "Enter") {
          if (field.tagName === "TEXTAREA" && event.shiftKey) return;
          event.preventDefault();
          if (field.tagName === "TEXTAREA") form.requestSubmit();
          else move(field, 1);
          return;
        }
        if (event.key === "Backspace" && field.value === "") {
          event.preventDefault();
          move(field, -1);
          return;
        }
        if (event.key.length !== 1) return; // Tab, arrows and the like keep their meaning
        if (kind === "scale" || kind === "choice") {
          event.preventDefault();
          var n = parseInt(event.key, 10);
          var highest = kind === "scale" ? 5 : options;
          if (n >= 1 && n <= highest) {
            field.value = event.key;
            field.removeAttribute("aria-invalid");
            move(field, 1);
          }
        } else if (kind === "multi" && !/[0-9 ]/.test(event.key)) {
          event.preventDefault();
        }
      });
    });

    var invalid = form.querySelector("[aria-invalid='true']");
    if (invalid) {
      invalid.focus();
      if (invalid.select) invalid.select();
    } else {
      code.focus();
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUp);
  else setUp();
})();
