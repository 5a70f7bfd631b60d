/* The communes coloured by their service index, on the vendored Leaflet without any tile
   server: only the province's own boundaries (#dash-map's data-boundaries) are drawn. */
(function () {
  "use strict";
  var COLOURS = { excellent: "#1e8449", good: "#52be80", average: "#f4d03f", weak: "#e74c3c" };
  function draw() {
    var element = document.getElementById("dash-map");
    var scores = document.getElementById("dash-map-scores");
    if (!element || !scores || typeof L === "undefined") { return; }
    var byAgency = JSON.parse(scores.textContent);
    fetch(element.getAttribute("data-boundaries"), { credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (collection) {
        var map = L.map(element, { attributionControl: false, zoomSnap: 0.25 });
        var layer = L.geoJSON(collection, {
          style: function (feature) {
            var score = byAgency[feature.properties.agency] || {};
            return { color: "#555", weight: 1, fillOpacity: 0.75,
                     fillColor: COLOURS[score.band] || "#cccccc" };
          },
          onEachFeature: function (feature, shape) {
            var score = byAgency[feature.properties.agency] || {};
            var text = feature.properties.name + (score.score !== undefined
              ? ": " + score.score + " / 100 (hạng " + score.rank + ")" : "");
            shape.bindTooltip(text);
            shape.feature.properties.score = score.score;
          }
        }).addTo(map);
        element.setAttribute("data-drawn", String(collection.features.length));
        if (collection.features.length) { map.fitBounds(layer.getBounds()); }
      });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else { draw(); }
})();
