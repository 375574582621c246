/* The profile form: suggestions of territories and communes (datalists filled from
   /acteurs/territoires.json), a map per experience where a click places it, and
   « Ajouter une expérience », which clones the formset's empty form. */
(function () {
  "use strict";
  var form, suggestUrl;
  function suggest(input, list, communesOnly) {
    var timer;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      var value = input.value;
      var last = value.split(/[;,\n]/).pop().trim();
      if (last.length < 2) { return; }
      timer = setTimeout(function () {
        fetch(suggestUrl + "?q=" + encodeURIComponent(last) + (communesOnly ? "&communes=1" : ""))
          .then(function (r) { return r.json(); })
          .then(function (data) {
            list.innerHTML = "";
            var head = value.slice(0, value.length - value.split(/[;,\n]/).pop().length);
            data.suggestions.forEach(function (s) {
              var option = document.createElement("option");
              option.value = (communesOnly ? "" : head) + s;
              list.appendChild(option);
            });
          });
      }, 200);
    });
  }
  function placeMap(fieldset) {
    var container = fieldset.querySelector(".experience-map");
    if (!container || container.dataset.ready) { return; }
    container.dataset.ready = "1";
    var lat = fieldset.querySelector("input[name$='-latitude']");
    var lon = fieldset.querySelector("input[name$='-longitude']");
    var map = window.spassMap(container);
    var marker = null;
    function show() {
      if (lat.value && lon.value) {
        var at = [parseFloat(lon.value), parseFloat(lat.value)];
        if (!marker) { marker = new maplibregl.Marker({ color: "#2d6a4f" }).setLngLat(at).addTo(map); }
        else { marker.setLngLat(at); }
      }
    }
    map.on("click", function (e) {
      lat.value = e.lngLat.lat.toFixed(6);
      lon.value = e.lngLat.lng.toFixed(6);
      show();
    });
    lat.addEventListener("change", show);
    lon.addEventListener("change", show);
    map.on("load", function () {
      show();
      if (marker) { map.jumpTo({ center: marker.getLngLat(), zoom: 10 }); }
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    form = document.querySelector(".actor-form");
    if (!form) { return; }
    suggestUrl = form.dataset.suggest;
    var territories = form.querySelector("textarea[name='territories']");
    var tlist = document.getElementById("territoires-suggestions");
    if (territories && tlist) {
      // a textarea cannot use a datalist: the suggestions go to a companion input
      var helper = document.createElement("input");
      helper.type = "text";
      helper.setAttribute("list", "territoires-suggestions");
      helper.setAttribute("aria-label", territories.labels[0].textContent + " — " + "ajout");
      helper.placeholder = "Ajouter : tapez le début d'un nom…";
      helper.className = "territory-helper";
      helper.id = "territoire-ajout";
      territories.insertAdjacentElement("afterend", helper);
      suggest(helper, tlist, false);
      helper.addEventListener("change", function () {
        if (/\(\w+\)$/.test(helper.value.trim())) {
          var current = territories.value.trim();
          territories.value = (current ? current + " ; " : "") + helper.value.trim();
          helper.value = "";
        }
      });
    }
    var clist = document.getElementById("communes-suggestions");
    function wire(fieldset) {
      var commune = fieldset.querySelector("input[name$='-commune']");
      if (commune && clist) { suggest(commune, clist, true); }
      placeMap(fieldset);
    }
    document.querySelectorAll(".experience-form").forEach(wire);
    var add = document.getElementById("add-experience");
    var total = form.querySelector("input[name='exp-TOTAL_FORMS']");
    var template = document.getElementById("experience-template");
    add.addEventListener("click", function () {
      var index = parseInt(total.value, 10);
      var html = template.innerHTML.replace(/__prefix__/g, String(index));
      var holder = document.createElement("div");
      holder.innerHTML = html;
      var fieldset = holder.firstElementChild;
      document.getElementById("experience-forms").appendChild(fieldset);
      total.value = String(index + 1);
      wire(fieldset);
      var first = fieldset.querySelector("input[type='text']");
      if (first) { first.focus(); }
    });
  });
})();
