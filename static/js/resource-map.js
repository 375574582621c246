/* Map of the resource form: place a point, draw a line or a polygon (mapbox-gl-draw on
   MapLibre, set up by spass-draw.js). The drawn geometry is written as GeoJSON into the
   "geom" field; a point also fills the longitude/latitude fields, which remain usable
   without the map. */
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var container = document.getElementById("carte-saisie");
  if (!container || !window.maplibregl || !window.MapboxDraw) { return; }
  var field = document.getElementById("id_geom");
  var lon = document.getElementById("id_longitude");
  var lat = document.getElementById("id_latitude");
  var map = window.spassMap(container);
  var draw = window.spassDraw(map, container,
    { point: true, line_string: true, polygon: true, trash: true });

  function write() {
    var features = draw.getAll().features;
    var last = features[features.length - 1];
    field.value = last ? JSON.stringify(last.geometry) : "";
    if (last && last.geometry.type === "Point") {
      lon.value = last.geometry.coordinates[0].toFixed(6);
      lat.value = last.geometry.coordinates[1].toFixed(6);
    } else { lon.value = ""; lat.value = ""; }
  }
  map.on("draw.create", write);
  map.on("draw.update", write);
  map.on("draw.delete", write);
  map.on("load", function () {
    if (field.value.trim()) {
      try {
        var geometry = JSON.parse(field.value);
        draw.add(geometry);
        window.spassFit(map, geometry);
      } catch (err) { /* an unreadable value is reported by the server */ }
    }
  });
  [lon, lat].forEach(function (input) {
    input.addEventListener("change", function () {
      var x = parseFloat(lon.value), y = parseFloat(lat.value);
      if (isNaN(x) || isNaN(y)) { return; }
      draw.deleteAll();
      var point = { type: "Point", coordinates: [x, y] };
      draw.add(point);
      field.value = JSON.stringify(point);
      map.jumpTo({ center: [x, y], zoom: Math.max(map.getZoom(), 11) });
    });
  });
});
