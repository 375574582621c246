/* Read-only map of a resource's geometry (or a group's resources). */
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var container = document.getElementById("mini-carte");
  var data = document.getElementById("geometrie");
  if (!container || !data || !window.maplibregl) { return; }
  var geojson = JSON.parse(data.textContent);
  if (typeof geojson === "string") { geojson = JSON.parse(geojson); }
  var map = window.spassMap(container);
  map.on("load", function () {
    map.addSource("ressource", { type: "geojson", data: geojson });
    map.addLayer({ id: "surface", type: "fill", source: "ressource",
      filter: ["==", ["geometry-type"], "Polygon"],
      paint: { "fill-color": "#b3261e", "fill-opacity": 0.25 } });
    map.addLayer({ id: "trait", type: "line", source: "ressource",
      filter: ["!=", ["geometry-type"], "Point"],
      paint: { "line-color": "#b3261e", "line-width": 3 } });
    map.addLayer({ id: "point", type: "circle", source: "ressource",
      filter: ["==", ["geometry-type"], "Point"],
      paint: { "circle-color": "#b3261e", "circle-radius": 7,
               "circle-stroke-color": "#fff", "circle-stroke-width": 2 } });
    window.spassFit(map, geojson);
  });
});
