/* A group's territory on its creation and settings pages: a polygon drawn on the map
   (spass-draw.js) goes as GeoJSON into the hidden territory_shape field and empties the
   typed territory, since a group has one or the other. The settings page shows the current
   territory under the drawing. Without the map, the typed territory works alone. */
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var container = document.getElementById("carte-territoire");
  if (!container || !window.maplibregl || !window.MapboxDraw) { return; }
  container.hidden = false;
  document.getElementById("carte-territoire-aide").hidden = false;
  var shape = document.getElementById(container.dataset.shape);
  var typed = document.getElementById(container.dataset.typed);
  var current = document.getElementById("territoire-actuel");
  var map = window.spassMap(container);
  var draw = window.spassDraw(map, container, { polygon: true, trash: true });

  function write() {
    var features = draw.getAll().features;
    var last = features[features.length - 1];
    shape.value = last ? JSON.stringify(last.geometry) : "";
    if (last) { typed.value = ""; }
  }
  map.on("draw.create", write);
  map.on("draw.update", write);
  map.on("draw.delete", write);
  map.on("load", function () {
    if (current) {
      var outline = JSON.parse(current.textContent);
      map.addSource("territoire-actuel", { type: "geojson", data: outline });
      map.addLayer({ id: "territoire-actuel", type: "line", source: "territoire-actuel",
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
});
