/* Map of the resource form: place a point, draw a line or a polygon (mapbox-gl-draw on
   MapLibre). The drawn geometry is written as GeoJSON into the "geom" field; a point also
   fills the longitude/latitude fields, which remain usable without the map. */
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var container = document.getElementById("carte-saisie");
  if (!container || !window.maplibregl || !window.MapboxDraw) { return; }
  var field = document.getElementById("id_geom");
  var lon = document.getElementById("id_longitude");
  var lat = document.getElementById("id_latitude");
  var classes = MapboxDraw.constants.classes;
  classes.CONTROL_BASE = "maplibregl-ctrl";
  classes.CONTROL_PREFIX = "maplibregl-ctrl-";
  classes.CONTROL_GROUP = "maplibregl-ctrl-group";
  var red = "#b3261e";
  var draw = new MapboxDraw({
    displayControlsDefault: false,
    controls: { point: true, line_string: true, polygon: true, trash: true },
    styles: [
      { id: "fill", type: "fill", filter: ["==", "$type", "Polygon"],
        paint: { "fill-color": red, "fill-opacity": 0.2 } },
      { id: "line", type: "line", filter: ["any", ["==", "$type", "LineString"], ["==", "$type", "Polygon"]],
        paint: { "line-color": red, "line-width": 3 } },
      { id: "vertex", type: "circle", filter: ["==", "meta", "vertex"],
        paint: { "circle-radius": 5, "circle-color": "#fff", "circle-stroke-color": red, "circle-stroke-width": 2 } },
      { id: "point", type: "circle", filter: ["all", ["==", "$type", "Point"], ["!=", "meta", "vertex"], ["!=", "meta", "midpoint"]],
        paint: { "circle-radius": 7, "circle-color": red, "circle-stroke-color": "#fff", "circle-stroke-width": 2 } }
    ]
  });
  var map = window.spassMap(container);
  map.addControl(draw, "top-left");
  var titles = { point: "Placer un point", line_string: "Tracer une ligne",
                 polygon: "Dessiner un polygone", trash: "Effacer la géométrie" };
  Object.keys(titles).forEach(function (name) {
    var button = container.querySelector(".mapbox-gl-draw_" + (name === "line_string" ? "line" : name));
    if (button) { button.title = titles[name]; button.setAttribute("aria-label", titles[name]); }
  });

  function write() {
    var features = draw.getAll().features;
    var last = features[features.length - 1];
    field.value = last ? JSON.stringify(last.geometry) : "";
    if (last && last.geometry.type === "Point") {
      lon.value = last.geometry.coordinates[0].toFixed(6);
      lat.value = last.geometry.coordinates[1].toFixed(6);
    } else { lon.value = ""; lat.value = ""; }
  }
  map.on("draw.create", function (e) {
    // One geometry per resource: a new drawing replaces the previous one.
    var keep = e.features[0].id;
    draw.getAll().features.forEach(function (f) { if (f.id !== keep) { draw.delete(f.id); } });
    write();
  });
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
