// Page behaviour declared in templates with data attributes. The Content-Security-Policy forbids
// inline <script> and on*= handlers, so every template uses these instead:
//   <form data-confirm="…">, <button data-confirm="…">  ask before submitting
//   <form data-busy>                                      on submit: disable the button, show its spinner
//   <select data-autosubmit>                              submit the form when the choice changes
//   <button data-toggle-class="show" data-target="#id">   toggle a class on the target
//   <button data-check-all="selector">                    tick every checkbox matched ...
//   <button data-check-none="selector">                   ... or untick them
//   <button data-print>                                   print the page
//   <a data-back href="#">                                go back (a real href is simply followed)
//   <span data-expand-icon="bi bi-caret-down-fill">       on click: its <i> icon gets these classes
//   <details data-menu-group="key">                       a menu section: open when it holds the
//                                                         current page or the user left it open
(function () {
  "use strict";

  function closest(event, selector) {
    return event.target instanceof Element ? event.target.closest(selector) : null;
  }

  function setChecked(selector, value) {
    document.querySelectorAll(selector).forEach(function (box) {
      box.checked = value;
    });
  }

  document.addEventListener("click", function (event) {
    var el = closest(event, "[data-confirm]:not(form)");
    if (el && !window.confirm(el.dataset.confirm)) {
      event.preventDefault();
      event.stopImmediatePropagation();
      return;
    }
    el = closest(event, "[data-toggle-class]");
    if (el) {
      var target = document.querySelector(el.dataset.target);
      if (target) target.classList.toggle(el.dataset.toggleClass);
      return;
    }
    el = closest(event, "[data-check-all]");
    if (el) return setChecked(el.dataset.checkAll, true);
    el = closest(event, "[data-check-none]");
    if (el) return setChecked(el.dataset.checkNone, false);
    el = closest(event, "[data-print]");
    if (el) {
      event.preventDefault();
      window.print();
      return;
    }
    el = closest(event, 'a[data-back][href="#"]');
    if (el) {
      event.preventDefault();
      window.history.back();
      return;
    }
    el = closest(event, "[data-expand-icon]");
    if (el) {
      var icon = el.querySelector("i");
      if (icon) icon.className = el.dataset.expandIcon;
    }
  }, true);

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement)) return;
    if (form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
      event.stopImmediatePropagation();
      return;
    }
    if (form.hasAttribute("data-busy")) {
      var button = form.querySelector("button[type=submit], button:not([type])");
      if (button) {
        // Disable after the submission has started, so the button's own name/value still goes.
        window.setTimeout(function () { button.disabled = true; }, 0);
        var spinner = button.querySelector(".spinner-border");
        if (spinner) spinner.classList.remove("d-none");
      }
    }
  }, true);

  document.addEventListener("change", function (event) {
    var el = closest(event, "select[data-autosubmit]");
    if (el && el.form) el.form.submit();
  });

  // The menu's sections: the one holding the current page is open, the others as the user left
  // them (open until the user closes one). Without script every section is open.
  function menuGroups() {
    document.querySelectorAll("details[data-menu-group]").forEach(function (group) {
      var key = "dj-menu:" + group.dataset.menuGroup;
      var stored = null;
      try { stored = window.localStorage.getItem(key); } catch (e) { /* storage off */ }
      group.open = Boolean(group.querySelector(".nav-link.active")) || stored !== "closed";
      group.addEventListener("toggle", function () {
        try { window.localStorage.setItem(key, group.open ? "open" : "closed"); } catch (e) { /* storage off */ }
      });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", menuGroups);
  else menuGroups();
})();
