/* The live maps of a carnet and its « mode récit »: each map block's configuration comes from
   #carnet-cartes (drawn by layers/carte.js, on our vector tiles with the reader's session, so
   it shows what the reader may see now). A story step — scrolled into view
   (IntersectionObserver), focused with the keyboard or its button pressed — moves its map to
   the step's extent and shows or hides layers. With prefers-reduced-motion the map jumps
   instead of flying. The before/after sliders live here too. */
(function () {
  "use strict";
  var reduce = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  var maps = {};
  var node = document.getElementById("carnet-cartes");
  var configs = node ? JSON.parse(node.textContent) : [];

  function bounds(extent) { return [[extent[0], extent[1]], [extent[2], extent[3]]]; }

  function frame(map, extent, animate) {
    if (!extent) { return; }
    var options = { padding: 30, maxZoom: 16 };
    if (reduce || !animate) {
      map.fitBounds(bounds(extent), Object.assign({ animate: false }, options));
    } else {
      map.fitBounds(bounds(extent), Object.assign({ duration: 1800, essential: false }, options));
    }
  }

  function setLayer(entry, position, visible) {
    var layer = entry.config.layers[position];
    if (!layer) { return; }
    entry.map.getStyle().layers.forEach(function (l) {
      if (l.id.indexOf(layer.id + "-") === 0) {
        entry.map.setLayoutProperty(l.id, "visibility", visible ? "visible" : "none");
      }
    });
  }

  function goTo(id, index) {
    var entry = maps[id];
    if (!entry) { return; }
    var step = entry.config.steps[index];
    if (!step || entry.current === index) { return; }
    entry.current = index;
    var run = function () {
      (step.show || []).forEach(function (p) { setLayer(entry, p, true); });
      (step.hide || []).forEach(function (p) { setLayer(entry, p, false); });
      frame(entry.map, step.extent, true);
      entry.container.setAttribute("data-etape", String(index));
    };
    if (entry.loaded) { run(); } else { entry.pending = run; }
    document.querySelectorAll('.etapes[data-carte="' + id + '"] .etape').forEach(function (li) {
      li.classList.toggle("active", Number(li.dataset.etape) === index);
      if (Number(li.dataset.etape) === index) { li.setAttribute("aria-current", "step"); }
      else { li.removeAttribute("aria-current"); }
    });
  }

  configs.forEach(function (item) {
    var container = document.getElementById(item.id);
    if (!container || !window.SpassCarte) { return; }
    var config = item.config;
    var map = window.SpassCarte.create(item.id, config);
    var entry = { map: map, config: config, container: container, loaded: false, current: null };
    maps[item.id] = entry;
    map.on("load", function () {
      window.SpassCarte.draw(map, config.layers);
      frame(map, config.extent, false);
      entry.loaded = true;
      container.setAttribute("data-chargee", "1");
      if (entry.pending) { entry.pending(); entry.pending = null; }
    });
  });
  window.spassCarnet = { maps: maps, goTo: goTo };

  document.querySelectorAll(".etapes").forEach(function (list) {
    var id = list.dataset.carte;
    var story = list.closest(".recit");
    list.querySelectorAll(".etape").forEach(function (li) {
      var index = Number(li.dataset.etape);
      li.addEventListener("focus", function () { goTo(id, index); });
      var button = li.querySelector(".voir-etape");
      if (button) {
        button.addEventListener("click", function () {
          goTo(id, index);
          if (!story) { maps[id] && maps[id].container.scrollIntoView({ block: "nearest" }); }
        });
      }
    });
    if (story && "IntersectionObserver" in window) {
      var observer = new IntersectionObserver(function (entries) {
        entries.forEach(function (e) {
          if (e.isIntersecting) { goTo(id, Number(e.target.dataset.etape)); }
        });
      }, { rootMargin: "-45% 0px -45% 0px" });
      list.querySelectorAll(".etape").forEach(function (li) { observer.observe(li); });
    }
  });

  /* before/after: the range input is the divide, « before » on its left, « after » on its right,
     so the photo follows the handle under the finger */
  document.querySelectorAll("[data-comparaison]").forEach(function (box) {
    var input = box.querySelector("input[type=range]");
    var after = box.querySelector(".apres");
    if (!input || !after) { return; }
    box.classList.add("curseur-actif");
    var apply = function () { after.style.clipPath = "inset(0 0 0 " + input.value + "%)"; };
    input.addEventListener("input", apply);
    apply();
  });
})();
