/* The web import in three steps, over the import API (/api/v1/imports/): the file is
   uploaded, its columns mapped with a preview (rows as they will be created, drawn on a map
   and listed, rejected rows and why), then the import is queued and its page followed.
   Without JavaScript, or for Mérimée / Archirès / Omeka files, the form posts as it is. */
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var form = document.getElementById("import-formulaire");
  if (!form || !window.fetch) { return; }
  var targets = JSON.parse(document.getElementById("import-cibles").textContent);
  var T = JSON.parse(document.getElementById("import-textes").textContent);
  var $ = function (id) { return document.getElementById(id); };
  var csrf = form.querySelector("[name=csrfmiddlewaretoken]").value;
  var source = form.elements.source;
  var draft = null;
  var ATTRIBUTES_SHOWN = 4;  // of each previewed row: enough to check, short enough to read
  var map = null;

  function announce(text) { $("import-annonce").textContent = text; }
  function step(n, heading) {
    document.querySelectorAll("[data-etape]").forEach(function (li) {
      if (li.dataset.etape === String(n)) { li.setAttribute("aria-current", "step"); }
      else { li.removeAttribute("aria-current"); }
    });
    if (heading) { heading.focus(); }
  }
  function fail(message) {
    var box = $("import-erreur");
    box.textContent = message;
    box.hidden = false;
    box.scrollIntoView({ block: "center" });
  }
  function detail(body) {
    if (!body) { return T.unexpected; }
    if (body.detail) { return body.detail; }
    return Object.keys(body).map(function (k) { return k + " : " + [].concat(body[k]).join(" "); }).join(" ; ");
  }
  function api(url, options) {
    options = options || {};
    options.credentials = "same-origin";
    options.headers = Object.assign({ "X-CSRFToken": csrf, "Accept": "application/json" }, options.headers || {});
    return fetch(url, options).then(function (r) {
      return r.json().catch(function () { return null; }).then(function (body) {
        if (!r.ok) { throw new Error(detail(body)); }
        return body;
      });
    });
  }
  function text(value) {
    if (value === null || value === undefined) { return ""; }
    return typeof value === "object" ? JSON.stringify(value) : String(value);
  }
  function short(value) { return value.length > 60 ? value.slice(0, 59) + "…" : value; }
  function cell(row, value, tag) {
    var td = document.createElement(tag || "td");
    td.textContent = text(value);
    row.appendChild(td);
    return td;
  }
  function option(select, value, label, selected) {
    var o = new Option(label, value, selected, selected);
    select.appendChild(o);
    return o;
  }

  function geodata() { return source.value === "geodata"; }
  var submit = form.querySelector("button[type=submit]");
  var oneStepLabel = submit.textContent;
  function toggleOneStepFields() {
    form.querySelectorAll("[data-sans-etapes]").forEach(function (p) { p.hidden = geodata(); });
    submit.textContent = geodata() ? T.send : oneStepLabel;
  }
  source.addEventListener("change", toggleOneStepFields);
  toggleOneStepFields();

  form.addEventListener("submit", function (event) {
    if (!geodata()) { return; }  // file sources: the one-step form, as posted
    event.preventDefault();
    if (!form.reportValidity()) { return; }
    if (!form.elements.kind.value) {
      fail(T.kind_needed);
      form.elements.kind.focus();
      return;
    }
    $("import-erreur").hidden = true;
    var data = new FormData();
    data.append("file", form.elements.file.files[0]);
    announce(T.uploading);
    api(form.dataset.api, { method: "POST", body: data }).then(function (body) {
      draft = body;
      showColumns(body, true);
    }).catch(function (e) { fail(e.message); announce(e.message); });
  });

  function mappingTargets() {
    return targets[form.elements.kind.value] || targets[""];
  }

  function showColumns(body, first) {
    $("import-resume").textContent = T.summary.replace("%(file)s", body.file_name)
      .replace("%(n)s", body.count).replace("%(type)s", body.geometry_type || "—");
    var layers = $("import-couche");
    layers.innerHTML = "";
    body.layers.forEach(function (name) { option(layers, name, name, name === body.layer); });
    $("choix-couche").hidden = body.layers.length < 2;
    $("choix-crs").hidden = !body.geometry_type;  // a table without geometry has no CRS
    var crs = $("import-crs");
    crs.innerHTML = "";
    if (body.crs.detected) {
      option(crs, body.crs.detected, T.detected.replace("%(code)s", body.crs.detected), true);
    } else {
      option(crs, "", T.none_detected, true);
    }
    body.crs.offered.forEach(function (c) {
      if (c.code !== body.crs.detected) { option(crs, c.code, "EPSG:" + c.code + " — " + c.label, false); }
    });
    $("import-crs-aide").textContent = body.crs.detected ? T.crs_detected_help : T.crs_missing_help;
    var profiles = $("import-profil");
    profiles.innerHTML = "";
    option(profiles, "", T.no_profile, body.profiles.length === 0);
    body.profiles.forEach(function (p, i) {
      option(profiles, String(i), p.name + " (" + p.group_name + ")", i === 0);
    });
    $("choix-profil").hidden = body.profiles.length === 0;
    var mapping = body.profiles.length ? body.profiles[0].mapping : body.suggested_mapping;
    if (body.profiles.length) { $("import-nom-profil").value = body.profiles[0].name; }
    fillColumns(body.columns, mapping);
    $("etape-colonnes").hidden = false;
    $("import-resultat").hidden = true;
    if (first) {
      step(2, $("etape-colonnes-titre"));
      announce(T.uploaded);
    }
  }

  function fillColumns(columns, mapping) {
    var byColumn = {};
    Object.keys(mapping).forEach(function (target) {
      if (target === "ignore") { mapping.ignore.forEach(function (c) { byColumn[c] = "ignore"; }); }
      else { byColumn[mapping[target]] = target; }
    });
    var tbody = $("import-colonnes").querySelector("tbody");
    tbody.innerHTML = "";
    columns.forEach(function (column, i) {
      var tr = document.createElement("tr");
      var th = cell(tr, column.name, "th");
      th.scope = "row";
      cell(tr, column.samples.filter(function (v) { return v !== null && v !== ""; })
        .map(function (v) { return short(text(v)); }).join(" · "));
      var td = document.createElement("td");
      var label = document.createElement("label");
      label.className = "visually-hidden";
      label.htmlFor = "cible-" + i;
      label.textContent = T.target_of.replace("%(column)s", column.name);
      var select = document.createElement("select");
      select.id = "cible-" + i;
      select.dataset.colonne = column.name;
      var chosen = byColumn[column.name] || "";
      var known = false;
      mappingTargets().forEach(function (t) {
        known = known || t[0] === chosen;
        option(select, t[0], t[1], t[0] === chosen);
      });
      if (!known) { option(select, chosen, T.attribute.replace("%(name)s", chosen.replace(/^attributes\./, "")), true); }
      td.appendChild(label);
      td.appendChild(select);
      tr.appendChild(td);
      tbody.appendChild(tr);
    });
  }

  form.elements.kind.addEventListener("change", function () {
    if (draft && form.elements.kind.value) { fillColumns(draft.columns, currentMapping()); }
  });
  $("import-profil").addEventListener("change", function () {
    var p = draft.profiles[Number(this.value)];
    fillColumns(draft.columns, p ? p.mapping : draft.suggested_mapping);
    $("import-nom-profil").value = p ? p.name : "";
  });
  $("import-couche").addEventListener("change", function () {
    api(form.dataset.api + draft.id + "/?layer=" + encodeURIComponent(this.value)).then(function (body) {
      draft = body;
      showColumns(body, false);
    }).catch(function (e) { announce(e.message); window.alert(e.message); });
  });

  function currentMapping() {
    var mapping = {}, ignored = [];
    document.querySelectorAll("#import-colonnes select").forEach(function (s) {
      if (s.value === "ignore") { ignored.push(s.dataset.colonne); }
      else if (s.value) { mapping[s.value] = s.dataset.colonne; }
    });
    if (ignored.length) { mapping.ignore = ignored; }
    return mapping;
  }
  function currentCrs() {
    var other = $("import-crs-autre").value.trim();
    return other || $("import-crs").value;
  }
  function choices() {
    return { mapping: currentMapping(), kind: form.elements.kind.value,
             layer: $("import-couche").value, crs: currentCrs() };
  }
  function duplicated() {
    var seen = {};
    var twice = null;
    document.querySelectorAll("#import-colonnes select").forEach(function (s) {
      if (s.value && s.value !== "ignore") {
        if (seen[s.value]) { twice = s; }
        seen[s.value] = true;
      }
    });
    return twice;
  }

  $("import-association").addEventListener("submit", function (event) {
    event.preventDefault();
    var twice = duplicated();
    if (twice) {
      announce(T.twice);
      window.alert(T.twice);
      twice.focus();
      return;
    }
    var c = choices();
    var query = "?mapping=" + encodeURIComponent(JSON.stringify(c.mapping)) +
      "&kind=" + encodeURIComponent(c.kind) + "&layer=" + encodeURIComponent(c.layer) +
      (c.crs ? "&crs=" + encodeURIComponent(c.crs) : "");
    announce(T.previewing);
    api(form.dataset.api + draft.id + "/preview/" + query).then(showPreview)
      .catch(function (e) { showError(e.message); });
  });

  function showError(message) {
    $("import-resultat").hidden = false;
    $("import-bilan").textContent = message;
    $("import-bilan").className = "error";
    $("import-lignes").hidden = true;
    $("import-carte").hidden = true;
    $("import-lancer").disabled = true;
    $("import-resultat-titre").focus();
    announce(message);
  }

  function showPreview(result) {
    $("import-resultat").hidden = false;
    $("import-lignes").hidden = false;
    $("import-carte").hidden = false;
    $("import-lancer").disabled = result.accepted === 0;
    $("import-bilan").className = "";
    var bilan = T.bilan.replace("%(read)s", result.read).replace("%(ok)s", result.accepted)
      .replace("%(ko)s", result.rejected_count);
    $("import-bilan").textContent = bilan;
    var warnings = $("import-avertissements");
    warnings.innerHTML = "";
    result.file_warnings.forEach(function (w) {
      var li = document.createElement("li");
      li.textContent = w;
      warnings.appendChild(li);
    });
    var tbody = $("import-lignes").querySelector("tbody");
    tbody.innerHTML = "";
    var features = [];
    result.rows.forEach(function (row) {
      var tr = document.createElement("tr");
      cell(tr, row.row);
      cell(tr, row.source_id);
      cell(tr, row.title);
      var place = "";
      if (row.geometry) {
        features.push({ type: "Feature", geometry: row.geometry, properties: { titre: row.title } });
        if (row.geometry.type === "Point") {
          place = row.geometry.coordinates.map(function (v) { return v.toFixed(5); }).join(", ");
        } else { place = row.geometry.type; }
      }
      cell(tr, place);
      var names = Object.keys(row.attributes || {});
      var shown = names.slice(0, ATTRIBUTES_SHOWN).map(function (k) {
        return k + " : " + short(text(row.attributes[k]));
      });
      if (names.length > ATTRIBUTES_SHOWN) {
        shown.push(T.more.replace("%(n)s", names.length - ATTRIBUTES_SHOWN));
      }
      cell(tr, shown.join(" · "));
      tbody.appendChild(tr);
    });
    var rejected = $("import-rejets");
    var rbody = rejected.querySelector("tbody");
    rbody.innerHTML = "";
    result.rejected.forEach(function (r) {
      r.problems.forEach(function (p) {
        var tr = document.createElement("tr");
        cell(tr, r.row);
        cell(tr, r.source_id);
        cell(tr, p.field);
        cell(tr, p.message);
        rbody.appendChild(tr);
      });
    });
    rejected.hidden = result.rejected.length === 0;
    $("import-aucun-rejet").hidden = result.rejected.length > 0;
    draw({ type: "FeatureCollection", features: features });
    step(2, $("import-resultat-titre"));
    announce(bilan);
  }

  function draw(collection) {
    if (!window.maplibregl) { return; }
    if (!map) {
      map = window.spassMap($("import-carte"));
      window.spassImportCarte = map;
      map.on("load", function () {
        map.addSource("apercu", { type: "geojson", data: collection });
        map.addLayer({ id: "apercu-surfaces", type: "fill", source: "apercu",
          filter: ["==", ["geometry-type"], "Polygon"],
          paint: { "fill-color": "#b3261e", "fill-opacity": 0.25 } });
        map.addLayer({ id: "apercu-traits", type: "line", source: "apercu",
          filter: ["!=", ["geometry-type"], "Point"],
          paint: { "line-color": "#b3261e", "line-width": 2 } });
        map.addLayer({ id: "apercu-points", type: "circle", source: "apercu",
          filter: ["==", ["geometry-type"], "Point"],
          paint: { "circle-color": "#b3261e", "circle-radius": 6,
                   "circle-stroke-color": "#fff", "circle-stroke-width": 2 } });
        if (collection.features.length) { window.spassFit(map, collection); }
      });
    } else if (map.getSource("apercu")) {
      map.getSource("apercu").setData(collection);
      if (collection.features.length) { window.spassFit(map, collection); }
    }
  }

  $("import-lancer").addEventListener("click", function () {
    var c = choices();
    var body = { mapping: c.mapping, kind: c.kind, layer: c.layer,
                 crs: c.crs ? Number(c.crs) : null, group: Number(form.elements.group.value),
                 profile: $("import-nom-profil").value.trim(),
                 level: form.elements.level.value,
                 validate: form.elements.validate.checked,
                 dry_run: form.elements.dry_run.checked };
    this.disabled = true;
    announce(T.starting);
    var button = this;
    api(form.dataset.api + draft.id + "/run/", {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body)
    }).then(function () {
      step(3);
      window.location.assign(T.job_url.replace("0", draft.id));
    }).catch(function (e) { button.disabled = false; showError(e.message); });
  });
});
