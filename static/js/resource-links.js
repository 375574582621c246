/* Links of an activité (fieldset#liens): search-as-you-type among the resources the person
   may see, through the REST API (GET /api/v1/resources/?q=…, the same visibility rule as
   everywhere); a chosen resource becomes a checked box named "links" (unchecking unlinks). */
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var box = document.getElementById("liens");
  if (!box) { return; }
  var input = document.getElementById("liens-recherche");
  var chosen = document.getElementById("liens-choisis");
  var list = document.getElementById("liens-suggestions");
  var timer = null;

  function isChosen(id) {
    return chosen.querySelector('input[value="' + id + '"]') !== null;
  }

  function choose(id, title, kind) {
    if (isChosen(id)) { return; }
    var li = document.createElement("li");
    var label = document.createElement("label");
    var check = document.createElement("input");
    check.type = "checkbox"; check.name = "links"; check.value = String(id); check.checked = true;
    var muted = document.createElement("span");
    muted.className = "muted"; muted.textContent = "(" + kind + ")";
    label.append(check, " " + title + " ", muted);
    li.appendChild(label);
    chosen.appendChild(li);
  }

  function show(features) {
    list.replaceChildren();
    features.forEach(function (f) {
      if (isChosen(f.id)) { return; }
      var p = f.properties, li = document.createElement("li");
      var button = document.createElement("button");
      button.type = "button"; button.className = "secondaire";
      button.textContent = "Lier « " + p.title + " » (" + p.kind + ")";
      button.addEventListener("click", function () {
        choose(f.id, p.title, p.kind);
        li.remove();
        input.focus();
      });
      li.appendChild(button);
      list.appendChild(li);
    });
    if (!features.length) {
      var none = document.createElement("li");
      none.textContent = "Aucune ressource trouvée.";
      list.appendChild(none);
    }
  }

  input.addEventListener("input", function () {
    var text = input.value.trim();
    clearTimeout(timer);
    if (text.length < 2) { list.replaceChildren(); return; }
    timer = setTimeout(function () {
      var url = box.dataset.api + "?base=observatoire,mediatheque&limit=10&q=" +
        encodeURIComponent(text);
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : { features: [] }; })
        .then(function (data) { show(data.features || []); });
    }, 250);
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter") { event.preventDefault(); }  // choosing, not submitting
  });
});
