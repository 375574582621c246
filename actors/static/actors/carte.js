/* Maps of the actors' pages: the directory's experiences (GeoJSON through the visibility
   rule, data-source) and a profile's territory and experiences (inline JSON). */
(function () {
  "use strict";
  function addPoints(map, data) {
    map.addSource("experiences", { type: "geojson", data: data });
    map.addLayer({ id: "experiences", type: "circle", source: "experiences",
      paint: { "circle-radius": 6, "circle-color": "#2d6a4f", "circle-stroke-color": "#fff",
               "circle-stroke-width": 1.5 } });
  }
  function popup(map) {
    map.on("click", "experiences", function (e) {
      var p = e.features[0].properties;
      var box = document.createElement("div");
      var title = document.createElement(p.url ? "a" : "strong");
      title.textContent = p.title;
      if (p.url) { title.href = p.url; }
      box.appendChild(title);
      if (p.profile) {
        var by = document.createElement("p");
        by.textContent = p.profile + (p.client ? " — " + p.client : "") + (p.years ? " (" + p.years + ")" : "");
        box.appendChild(by);
      }
      new maplibregl.Popup().setLngLat(e.lngLat).setDOMContent(box).addTo(map);
    });
    map.on("mouseenter", "experiences", function () { map.getCanvas().style.cursor = "pointer"; });
    map.on("mouseleave", "experiences", function () { map.getCanvas().style.cursor = ""; });
  }
  document.addEventListener("DOMContentLoaded", function () {
    var directory = document.getElementById("carte-acteurs");
    if (directory) {
      var map = window.spassMap(directory);
      map.on("load", function () {
        fetch(directory.dataset.source, { credentials: "same-origin" })
          .then(function (r) { return r.json(); })
          .then(function (data) {
            addPoints(map, data);
            popup(map);
            if (data.features.length) { window.spassFit(map, data); }
            directory.dataset.loaded = String(data.features.length);
          });
      });
    }
    var profile = document.getElementById("carte-profil");
    if (profile) {
      var pmap = window.spassMap(profile);
      var territory = JSON.parse(document.getElementById("territoire-json").textContent || '""');
      var places = JSON.parse(JSON.parse(document.getElementById("experiences-json").textContent));
      pmap.on("load", function () {
        if (territory) {
          var geom = JSON.parse(territory);
          pmap.addSource("territoire", { type: "geojson", data: geom });
          pmap.addLayer({ id: "territoire", type: "fill", source: "territoire",
            paint: { "fill-color": "#40916c", "fill-opacity": 0.25 } });
          pmap.addLayer({ id: "territoire-bord", type: "line", source: "territoire",
            paint: { "line-color": "#1b4332", "line-width": 1.5 } });
          window.spassFit(pmap, geom);
        }
        addPoints(pmap, places);
        if (!territory && places.features.length) { window.spassFit(pmap, places); }
      });
    }
  });
})();
