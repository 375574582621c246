/* A polygon drawn on a map for a form field (div.carte-polygone, shown only with
   JavaScript, with its help paragraph data-help): the drawing (spass-draw.js) goes as GeoJSON
   into the field data-shape, and empties the field data-typed when there is one (a group's
   territory is typed or drawn, not both). A polygon already in the field is drawn to be
   edited; an outline given as JSON in the element data-current is shown under the drawing.
   Without JavaScript the fields work alone. Used by a group's territory and by the accepted
   area of a participatory form. */
(function () {
  "use strict";
  function setUp(container) {
    container.hidden = false;
    document.getElementById(container.dataset.help).hidden = false;
    var shape = document.getElementById(container.dataset.shape);
    var typed = container.dataset.typed ? document.getElementById(container.dataset.typed) : null;
    var current = container.dataset.current ? document.getElementById(container.dataset.current) : null;
    var map = window.spassMap(container);
    var draw = window.spassDraw(map, container, { polygon: true, trash: true });

    function write() {
      var features = draw.getAll().features;
      var last = features[features.length - 1];
      shape.value = last ? JSON.stringify(last.geometry) : "";
      if (last && typed) { typed.value = ""; }
    }
    map.on("draw.create", write);
    map.on("draw.update", write);
    map.on("draw.delete", write);
    map.on("load", function () {
      if (current) {
        var outline = JSON.parse(current.textContent);
        map.addSource("actuel", { type: "geojson", data: outline });
        map.addLayer({ id: "actuel", type: "line", source: "actuel",
          paint: { "line-color": "#1d4f91", "line-width": 2, "line-dasharray": [2, 1] } });
        window.spassFit(map, outline);
      }
      if (shape.value.trim()) {
        try {
          var drawn = JSON.parse(shape.value);
          draw.add(drawn);
          window.spassFit(map, drawn);
        } catch (err) { /* an unreadable value is reported by the server */ }
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (!window.maplibregl || !window.MapboxDraw) { return; }
    document.querySelectorAll(".carte-polygone").forEach(setUp);
  });
})();
