/* The call screen, keyboard first: Alt and the key a button shows clicks it (or focuses the
   field that carries it); a refusal (400, 409) is swapped in where it happened; after a swap the
   caret goes to the field to fill next. */
(function () {
  "use strict";

  function visible(el) {
    return !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length);
  }

  document.addEventListener("keydown", function (event) {
    if (!event.altKey || event.ctrlKey || event.metaKey) return;
    var screen = document.getElementById("screen");
    if (!screen) return;
    // e.code is the key's place, whatever the layout or Option's character on a Mac.
    var key = (event.code || "").replace(/^Key|^Digit|^Numpad/, "").toLowerCase();
    if (!key) return;
    var found = screen.querySelectorAll('[data-key="' + key + '"]');
    var target = null;
    for (var i = 0; i < found.length; i++) {
      if (visible(found[i])) { target = found[i]; break; }
    }
    if (!target) return;
    event.preventDefault();
    if (target.matches("input, textarea, select")) {
      target.focus();
    } else {
      target.click();
    }
  });

  // Choosing what the call is about takes the caret to what the caller says.
  document.addEventListener("change", function (event) {
    if (event.target.name === "line") event.target.dataset.chosen = "1";
    if (event.target.name === "kind" && event.target.closest(".call-intake")) {
      // A complaint of a call typed in goes on the complaint line, unless the agent chose one.
      var line = event.target.form.querySelector("select[name=line][data-complaint-line]");
      if (line && !line.dataset.chosen && event.target.value === "complaint") {
        line.value = line.dataset.complaintLine;
      }
      var words = event.target.form.querySelector('textarea[name="description"]');
      if (words) words.focus();
    }
  });

  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    if ((status === 400 || status === 409) && event.detail.target.closest(".call-screen")) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail.target;
    if (!document.contains(target)) target = document.getElementById("screen");
    if (!target) return;
    var first = target.querySelector('[aria-invalid="true"]') || target.querySelector("[autofocus]");
    if (first) first.focus();
  });
})();
