/* Suggestions for territory fields (input[data-territoires]): communes, EPCI and départements
   by name or code, from /geo/territoires/?q=, offered through a <datalist> (the browser's own
   accessible list). Without JavaScript a code typed in the field works the same. */
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var count = 0;
  document.querySelectorAll("input[data-territoires]").forEach(function (input) {
    var list = document.createElement("datalist");
    list.id = "territoires-" + (++count);
    input.setAttribute("list", list.id);
    input.after(list);
    var timer = null, last = "";
    input.addEventListener("input", function () {
      var text = input.value.trim();
      if (text.length < 2 || text === last || /\)\s*$/.test(text)) { return; }
      clearTimeout(timer);
      timer = setTimeout(function () {
        last = text;
        fetch(input.dataset.territoires + "?q=" + encodeURIComponent(text))
          .then(function (r) { return r.ok ? r.json() : { results: [] }; })
          .then(function (data) {
            list.replaceChildren();
            data.results.forEach(function (item) {
              var option = document.createElement("option");
              option.value = item.label;
              option.textContent = item.kind === "epci" ? "EPCI" :
                (item.kind === "commune" ? item.dep : "");
              list.appendChild(option);
            });
          });
      }, 200);
    });
  });
});
