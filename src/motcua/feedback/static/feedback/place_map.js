/* The petition form's map: the province drawn from the shipped outline and ward centroids, no
   tiles, so it works on an intranet. A click fills the latitude and longitude boxes and the ward
   (nearest centroid, the rule the server applies again on sending). Without this script the
   boxes are the form. */
(function () {
  "use strict";
  var holder = document.getElementById("place-map");
  var source = document.getElementById("place-map-data");
  if (!holder || !source || !window.L) return;
  var data = JSON.parse(source.textContent);
  var latBox = document.getElementById("id_lat_text");
  var longBox = document.getElementById("id_long_text");
  var wardBox = document.getElementById("id_ward");
  var status = document.getElementById("place-map-status");
  var R = 6371;

  function rad(d) { return d * Math.PI / 180; }
  function distanceKm(a, b, c, d) {
    var h = Math.pow(Math.sin(rad(c - a) / 2), 2) +
      Math.cos(rad(a)) * Math.cos(rad(c)) * Math.pow(Math.sin(rad(d - b) / 2), 2);
    return 2 * R * Math.asin(Math.sqrt(h));
  }
  function nearest(lat, lon) {
    var best = null, bestKm = Infinity;
    data.wards.forEach(function (w) {
      var km = distanceKm(lat, lon, w[2], w[3]);
      if (km < bestKm) { best = w; bestKm = km; }
    });
    return { ward: best, km: bestKm };
  }
  function inside(ring, lat, lon) {
    var c = false;
    for (var i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      var yi = ring[i][0], xi = ring[i][1], yj = ring[j][0], xj = ring[j][1];
      if ((yi > lat) !== (yj > lat) && lon < (xj - xi) * (lat - yi) / (yj - yi) + xi) c = !c;
    }
    return c;
  }
  function toSegmentKm(lat, lon, a, b) {
    var kx = Math.cos(rad(lat)) * Math.PI * R / 180, ky = Math.PI * R / 180;
    var ax = (a[1] - lon) * kx, ay = (a[0] - lat) * ky, bx = (b[1] - lon) * kx, by = (b[0] - lat) * ky;
    var dx = bx - ax, dy = by - ay, t = 0;
    if (dx || dy) t = Math.max(0, Math.min(1, -(ax * dx + ay * dy) / (dx * dx + dy * dy)));
    return Math.hypot(ax + t * dx, ay + t * dy);
  }
  function contains(lat, lon) {
    var rings = data.outline, i, j;
    for (i = 0; i < rings.length; i++) if (inside(rings[i], lat, lon)) return true;
    for (i = 0; i < rings.length; i++) {
      for (j = 0; j < rings[i].length; j++) {
        var a = rings[i][j], b = rings[i][(j + 1) % rings[i].length];
        if (toSegmentKm(lat, lon, a, b) <= data.outlineSlackKm) return true;
      }
    }
    return nearest(lat, lon).km <= data.centroidSlackKm;
  }

  holder.hidden = false;
  var details = holder.closest("details");
  if (details) details.open = true;
  var map = L.map(holder, { attributionControl: true, zoomSnap: 0.5 });
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution(holder.dataset.attribution);
  var outline = L.polygon(data.outline, {
    color: "#1f5f8b", weight: 1.5, fillColor: "#dce9f2", fillOpacity: 0.7, interactive: false
  }).addTo(map);
  map.fitBounds(outline.getBounds().pad(0.02));
  // Bạch Long Vĩ, 110 km out at sea, is only a centre: the map may pan out to it.
  var reach = outline.getBounds();
  data.wards.forEach(function (w) { reach.extend([w[2], w[3]]); });
  map.setMaxBounds(reach.pad(0.2));
  data.wards.forEach(function (w) {
    L.circleMarker([w[2], w[3]], {
      radius: 3, color: "#555", weight: 1, fillColor: "#fff", fillOpacity: 1, interactive: false
    }).bindTooltip(w[1], { permanent: true, direction: "top", className: "ward-label" }).addTo(map);
  });
  // 114 names over the whole city are a blur: they show once the citizen zooms in.
  function labels() { holder.classList.toggle("place-map-far", map.getZoom() < 12); }
  map.on("zoomend", labels);
  labels();
  holder.leafletMap = map; // for a page script or a browser test that needs to place a point
  var picked = null;

  function show(lat, lon, fill) {
    if (picked) picked.remove();
    picked = L.circleMarker([lat, lon], {
      radius: 8, color: "#b3261e", weight: 3, fillColor: "#b3261e", fillOpacity: 0.4
    }).addTo(map);
    if (!contains(lat, lon)) {
      status.textContent = holder.dataset.outside;
      status.className = "error";
      return;
    }
    var ward = nearest(lat, lon).ward;
    status.className = "";
    status.textContent = holder.dataset.wardLabel + " " + ward[1];
    if (wardBox && (fill || !wardBox.value)) wardBox.value = ward[0];
  }

  map.on("click", function (event) {
    var lat = Math.round(event.latlng.lat * 1e6) / 1e6;
    var lon = Math.round(event.latlng.lng * 1e6) / 1e6;
    latBox.value = lat;
    longBox.value = lon;
    show(lat, lon, true);
  });
  function typed() {
    var lat = parseFloat(latBox.value.replace(",", ".")), lon = parseFloat(longBox.value.replace(",", "."));
    if (isFinite(lat) && isFinite(lon)) show(lat, lon, false); // typed: fills the ward only when none is chosen
  }
  latBox.addEventListener("change", typed);
  longBox.addEventListener("change", typed);
  typed();
})();
