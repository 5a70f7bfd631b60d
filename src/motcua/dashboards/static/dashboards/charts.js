/* Draws the dashboards' charts with the vendored Chart.js from the JSON the page carries
   (#dash-chart-data); each chart also has a table view and a text alternative in the page. */
(function () {
  "use strict";
  var COLOURS = ["#1f5fa8", "#2e8b57", "#c0392b", "#8e44ad", "#d68910"];
  function draw() {
    var source = document.getElementById("dash-chart-data");
    if (!source || typeof Chart === "undefined") { return; }
    var charts = JSON.parse(source.textContent);
    document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      var spec = charts[canvas.getAttribute("data-chart")];
      if (!spec) { return; }
      var datasets = spec.series.map(function (s, i) {
        return {
          label: s.label, data: s.data, borderColor: COLOURS[i % COLOURS.length],
          backgroundColor: COLOURS[i % COLOURS.length], spanGaps: true, tension: 0.2
        };
      });
      var scale = { beginAtZero: true };
      if (spec.max) { scale.max = spec.max; }
      new Chart(canvas, {
        type: spec.type,
        data: { labels: spec.labels, datasets: datasets },
        options: {
          indexAxis: spec.horizontal ? "y" : "x",
          responsive: true, maintainAspectRatio: false, animation: false,
          locale: "vi-VN",
          scales: spec.horizontal ? { x: scale } : { y: scale },
          plugins: { legend: { position: "bottom" } }
        }
      });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else { draw(); }
})();
