/* The activity report's charts (Chart.js, served by the project) and choropleth (MapLibre,
   GeoJSON of the communes concerned). The tables of the page hold the same values. */
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var PALETTE = ["#0072b2", "#e69f00", "#009e73", "#cc79a7", "#d55e00", "#56b4e9", "#f0e442"];
  var CLASSES = ["#deebf7", "#9ecae1", "#6baed6", "#3182bd", "#08519c"];
  var chartsData = document.getElementById("rapport-graphiques");
  if (chartsData && window.Chart) {
    var data = JSON.parse(chartsData.textContent);
    new Chart(document.getElementById("graphique-barres"), {
      type: "bar",
      data: {
        labels: data.years,
        datasets: data.series.map(function (s, i) {
          return { label: s.label, data: s.values, backgroundColor: PALETTE[i % PALETTE.length] };
        })
      },
      options: {
        animation: false, responsive: true, maintainAspectRatio: false,
        plugins: { title: { display: true, text: "Missions par type et par année" } },
        scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true,
                                            ticks: { precision: 0 } } }
      }
    });
    new Chart(document.getElementById("graphique-ligne"), {
      type: "line",
      data: { labels: data.years, datasets: [{ label: "Missions", data: data.totals,
              borderColor: PALETTE[0], backgroundColor: PALETTE[0] }] },
      options: {
        animation: false, responsive: true, maintainAspectRatio: false,
        plugins: { title: { display: true, text: "Missions par année" } },
        scales: { y: { beginAtZero: true, ticks: { precision: 0 } } }
      }
    });
  }
  var container = document.getElementById("carte-rapport");
  if (!container || !window.maplibregl) { return; }
  var map = window.spassMap(container);
  var loaded = new Promise(function (resolve) { map.on("load", resolve); });
  fetch(container.dataset.communes, { credentials: "same-origin" })
    .then(function (r) { return r.json(); })
    .then(function (geojson) { return loaded.then(function () { draw(geojson); }); });

  function draw(geojson) {
    var top = geojson.features.reduce(function (m, f) {
      return Math.max(m, f.properties.missions); }, 0) || 1;
    var steps = ["step", ["get", "missions"], CLASSES[0]];
    for (var i = 1; i < CLASSES.length; i++) { steps.push(top * i / CLASSES.length, CLASSES[i]); }
    map.addSource("communes", { type: "geojson", data: geojson });
    map.addLayer({ id: "communes", type: "fill", source: "communes",
      paint: { "fill-color": steps, "fill-opacity": 0.85 } });
    map.addLayer({ id: "communes-contour", type: "line", source: "communes",
      paint: { "line-color": "#555", "line-width": 0.5 } });
    map.on("click", "communes", function (e) {
      var p = e.features[0].properties;
      new maplibregl.Popup().setLngLat(e.lngLat)
        .setText(p.nom + " (" + p.insee + ") : " + p.missions + " mission(s)").addTo(map);
    });
    if (geojson.features.length) { window.spassFit(map, geojson); }
    container.dataset.drawn = String(geojson.features.length);
  }
});
