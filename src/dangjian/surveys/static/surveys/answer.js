// The anonymous answer page in pages of ten questions on a phone, with progress; the answers
// stay in the one form (and in this tab's sessionStorage, so a reload keeps them) until the
// one-time submit. Without JavaScript the whole form shows, as before. No inline script (CSP).
(function () {
  "use strict";
  var form = document.getElementById("answer-form");
  if (!form) return;
  var size = parseInt(form.dataset.paged || "0", 10);
  var questions = Array.prototype.slice.call(form.querySelectorAll("fieldset.sv-q"));
  var storeKey = "dangjian-answer:" + location.pathname;

  function answered() {
    return questions.filter(function (q) { return q.querySelector("input:checked"); }).length;
  }

  // Keep the choices of this tab until the submit (the link is one-time; the tab is the device).
  function save() {
    var values = {};
    form.querySelectorAll("input[type=radio]:checked").forEach(function (r) { values[r.name] = r.value; });
    var comment = form.querySelector("textarea[name=comment]");
    if (comment) values.comment = comment.value;
    try { sessionStorage.setItem(storeKey, JSON.stringify(values)); } catch (e) { /* private mode */ }
  }
  function restore() {
    var values;
    try { values = JSON.parse(sessionStorage.getItem(storeKey) || "{}"); } catch (e) { return; }
    Object.keys(values).forEach(function (name) {
      if (name === "comment") {
        var comment = form.querySelector("textarea[name=comment]");
        if (comment && !comment.value) comment.value = values.comment;
        return;
      }
      if (form.querySelector("input[name='" + name + "']:checked")) return;  // the server's wins
      var radio = form.querySelector("input[name='" + name + "'][value='" + values[name] + "']");
      if (radio) radio.checked = true;
    });
  }
  restore();
  form.addEventListener("change", save);
  form.addEventListener("input", save);
  form.addEventListener("submit", function () {
    try { sessionStorage.removeItem(storeKey); } catch (e) { /* private mode */ }
  });

  if (!size || questions.length <= size) return;
  var pages = Math.ceil(questions.length / size);
  var tail = form.querySelector("[data-last-page]");
  var nav = document.getElementById("answer-pager");
  var buttons = document.getElementById("answer-pager-buttons");
  var label = document.getElementById("answer-progress-label");
  var bar = document.getElementById("answer-progress-bar");
  var prev = buttons.querySelector("[data-page-prev]");
  var next = buttons.querySelector("[data-page-next]");
  var current = 0;

  function progress() {
    var done = answered();
    label.textContent = "第 " + (current + 1) + "/" + pages + " 页 · 已评价 " + done + "/" + questions.length + " 项";
    bar.style.width = Math.round((100 * done) / questions.length) + "%";
    bar.setAttribute("aria-valuenow", String(done));
  }
  function show(page, scroll) {
    current = Math.max(0, Math.min(pages - 1, page));
    questions.forEach(function (q, i) { q.hidden = Math.floor(i / size) !== current; });
    tail.hidden = current !== pages - 1;
    prev.disabled = current === 0;
    next.hidden = current === pages - 1;
    progress();
    if (scroll) form.scrollIntoView({ behavior: "instant", block: "start" });
  }
  prev.addEventListener("click", function () { show(current - 1, true); });
  next.addEventListener("click", function () { show(current + 1, true); });
  form.addEventListener("change", progress);
  nav.hidden = false;
  buttons.hidden = false;
  bar.setAttribute("aria-valuemax", String(questions.length));
  // After a refused submit, open the first page with a question still to answer.
  var firstError = questions.findIndex(function (q) { return q.classList.contains("border-danger"); });
  show(firstError >= 0 ? Math.floor(firstError / size) : 0, false);
})();
