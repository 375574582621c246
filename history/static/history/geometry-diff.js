/* The geometry of a version before (grey, dashed) and after (red), on a small map. */
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var data = document.getElementById("history-geometries");
  if (!data || !window.maplibregl) { return; }
  var geometries = JSON.parse(data.textContent);
  document.querySelectorAll(".history-map").forEach(function (container) {
    var pair = geometries[container.dataset.version];
    if (!pair) { return; }
    var features = [];
    if (pair.before) { features.push({ type: "Feature", properties: { when: "avant" }, geometry: pair.before }); }
    if (pair.after) { features.push({ type: "Feature", properties: { when: "apres" }, geometry: pair.after }); }
    var collection = { type: "FeatureCollection", features: features };
    var map = window.spassMap(container);
    map.on("load", function () {
      map.addSource("versions", { type: "geojson", data: collection });
      var color = ["match", ["get", "when"], "avant", "#555555", "#b3261e"];
      map.addLayer({ id: "surface", type: "fill", source: "versions",
        filter: ["==", ["geometry-type"], "Polygon"],
        paint: { "fill-color": color, "fill-opacity": 0.2 } });
      map.addLayer({ id: "trait-avant", type: "line", source: "versions",
        filter: ["all", ["!=", ["geometry-type"], "Point"], ["==", ["get", "when"], "avant"]],
        paint: { "line-color": "#555555", "line-width": 3, "line-dasharray": [2, 2] } });
      map.addLayer({ id: "trait-apres", type: "line", source: "versions",
        filter: ["all", ["!=", ["geometry-type"], "Point"], ["==", ["get", "when"], "apres"]],
        paint: { "line-color": "#b3261e", "line-width": 3 } });
      map.addLayer({ id: "point", type: "circle", source: "versions",
        filter: ["==", ["geometry-type"], "Point"],
        paint: { "circle-color": color, "circle-radius": 7,
                 "circle-stroke-color": "#fff", "circle-stroke-width": 2 } });
      window.spassFit(map, collection);
    });
  });
});
