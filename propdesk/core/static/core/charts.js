// Draws every chart of core/partials/chart.html: a hidden div naming the json_script that holds
// its ECharts option. ECharts itself (vendor/echarts) is loaded once, the first time a page has a
// chart; charts that HTMX swaps in are drawn after the swap settles. Included by each chart, so
// it runs once and later copies only ask for a new look at the page.
(function () {
  "use strict";
  if (window.propdeskCharts) {
    window.propdeskCharts.draw(document);
    return;
  }
  var script = document.currentScript;
  var library = script && script.getAttribute("data-echarts");
  var pending = [];
  var loading = false;

  function drawNow(root) {
    var charts = (root || document).querySelectorAll("[data-chart]:not([data-chart-drawn])");
    Array.prototype.forEach.call(charts, function (el) {
      var source = document.getElementById(el.getAttribute("data-chart"));
      if (!source) return;
      el.setAttribute("data-chart-drawn", "");
      el.hidden = false;
      var chart = window.echarts.init(el);
      chart.setOption(JSON.parse(source.textContent));
    });
  }

  function draw(root) {
    if (window.echarts) {
      drawNow(root);
      return;
    }
    pending.push(root || document);
    if (loading || !library) return;
    loading = true;
    var tag = document.createElement("script");
    tag.src = library;
    tag.onload = function () {
      pending.splice(0).forEach(drawNow);
    };
    document.head.appendChild(tag);
  }

  window.propdeskCharts = { draw: draw };
  document.addEventListener("htmx:afterSettle", function (event) {
    draw(event.target);
  });
  window.addEventListener("resize", function () {
    if (!window.echarts) return;
    Array.prototype.forEach.call(document.querySelectorAll("[data-chart-drawn]"), function (el) {
      var chart = window.echarts.getInstanceByDom(el);
      if (chart) chart.resize();
    });
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () {
      draw(document);
    });
  } else {
    draw(document);
  }
})();
