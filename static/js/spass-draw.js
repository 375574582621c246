/* Drawing on a map made by spassMap: mapbox-gl-draw on MapLibre, with the project's styles
   and French button titles. `controls` says which buttons show (point, line_string, polygon,
   trash). Used by the resource form and by a group's territory. */
window.spassDraw = function (map, container, controls) {
  "use strict";
  var classes = MapboxDraw.constants.classes;
  classes.CONTROL_BASE = "maplibregl-ctrl";
  classes.CONTROL_PREFIX = "maplibregl-ctrl-";
  classes.CONTROL_GROUP = "maplibregl-ctrl-group";
  var red = "#b3261e";
  var draw = new MapboxDraw({
    displayControlsDefault: false,
    controls: controls,
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
  map.addControl(draw, "top-left");
  var titles = { point: "Placer un point", line_string: "Tracer une ligne",
                 polygon: "Dessiner un polygone", trash: "Effacer la géométrie" };
  Object.keys(titles).forEach(function (name) {
    var button = container.querySelector(".mapbox-gl-draw_" + (name === "line_string" ? "line" : name));
    if (button) { button.title = titles[name]; button.setAttribute("aria-label", titles[name]); }
  });
  /* One geometry at a time: a new drawing replaces the previous one. */
  map.on("draw.create", function (e) {
    var keep = e.features[0].id;
    draw.getAll().features.forEach(function (f) { if (f.id !== keep) { draw.delete(f.id); } });
  });
  return draw;
};
