// Type-ahead pickers (org/widgets.py): <div data-typeahead="/org/pick/…?…" data-name="field">
// holding a search box, a dropdown menu and either a hidden input (one choice) or ticked boxes
// (data-multiple). Typing asks the endpoint for {"results": [{"id", "label"}]}; clicking a result
// chooses it. No inline script (CSP): this file is loaded by the widget, once.
(function () {
  "use strict";
  if (window.djTypeahead) return;
  window.djTypeahead = true;

  var timers = new WeakMap();

  function box(el) { return el instanceof Element ? el.closest("[data-typeahead]") : null; }

  function show(root, results) {
    var menu = root.querySelector(".dj-typeahead-menu");
    menu.replaceChildren();
    if (!results.length) {
      var none = document.createElement("span");
      none.className = "dropdown-item-text text-muted small";
      none.textContent = "没有匹配项";
      menu.appendChild(none);
    }
    results.forEach(function (row) {
      var item = document.createElement("button");
      item.type = "button";
      item.className = "dropdown-item";
      item.dataset.id = row.id;
      item.textContent = row.label;
      menu.appendChild(item);
    });
    menu.classList.add("show");
  }

  function search(root, input) {
    var q = input.value.trim();
    if (!q) {
      root.querySelector(".dj-typeahead-menu").classList.remove("show");
      return;
    }
    var url = root.dataset.typeahead;
    url += (url.indexOf("?") < 0 ? "?" : "&") + "q=" + encodeURIComponent(q);
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : { results: [] }; })
      .then(function (data) { if (input.value.trim() === q) show(root, data.results || []); });
  }

  function choose(root, item) {
    var input = root.querySelector(".dj-typeahead-input");
    if (root.hasAttribute("data-multiple")) {
      var chosen = root.querySelector(".dj-typeahead-chosen");
      var existing = chosen.querySelector('input[value="' + item.dataset.id + '"]');
      if (existing) {
        existing.checked = true;
      } else {
        var wrap = document.createElement("div");
        wrap.className = "form-check form-check-inline";
        var check = document.createElement("input");
        check.className = "form-check-input";
        check.type = "checkbox";
        check.name = root.dataset.name;
        check.value = item.dataset.id;
        check.id = input.id + "_" + item.dataset.id;
        check.checked = true;
        var label = document.createElement("label");
        label.className = "form-check-label";
        label.htmlFor = check.id;
        label.textContent = item.textContent;
        wrap.append(check, label);
        chosen.appendChild(wrap);
      }
      input.value = "";
    } else {
      root.querySelector(".dj-typeahead-value").value = item.dataset.id;
      input.value = item.textContent;
    }
    root.querySelector(".dj-typeahead-menu").classList.remove("show");
    input.focus();
  }

  document.addEventListener("input", function (event) {
    var input = event.target;
    if (!(input instanceof HTMLInputElement) || !input.classList.contains("dj-typeahead-input")) return;
    var root = box(input);
    if (!root) return;
    // Typing replaces the choice: until a match is picked, nothing is chosen.
    if (!root.hasAttribute("data-multiple")) root.querySelector(".dj-typeahead-value").value = "";
    window.clearTimeout(timers.get(input));
    timers.set(input, window.setTimeout(function () { search(root, input); }, 250));
  });

  document.addEventListener("click", function (event) {
    var item = event.target instanceof Element ? event.target.closest(".dj-typeahead-menu [data-id]") : null;
    if (item) {
      event.preventDefault();
      choose(box(item), item);
      return;
    }
    document.querySelectorAll(".dj-typeahead-menu.show").forEach(function (menu) {
      if (!menu.parentElement.contains(event.target)) menu.classList.remove("show");
    });
  });

  document.addEventListener("keydown", function (event) {
    // Enter in the search box picks the first match instead of submitting the form.
    var input = event.target;
    if (event.key !== "Enter" || !(input instanceof HTMLInputElement)) return;
    if (!input.classList.contains("dj-typeahead-input")) return;
    var root = box(input);
    var first = root && root.querySelector(".dj-typeahead-menu.show [data-id]");
    if (first) {
      event.preventDefault();
      choose(root, first);
    }
  });
})();
