// The meeting form's attendance list. A committee meeting (支部委员会) is attended by the
// committee; anyone else either came (列席) or is not listed (不参加) — the list follows the
// chosen kind. Without JavaScript the server renders the list for the kind it knows.
(function () {
  const table = document.getElementById("attendance");
  if (!table) return;
  const COMMITTEE_KINDS = ["committee"];
  const kindSelect = document.querySelector("#meeting-form select[name=kind]");
  const help = document.getElementById("attendance-help");

  function show(row, value, visible) {
    const wrap = row.querySelector(".dj-att-" + value);
    if (wrap) wrap.classList.toggle("d-none", !visible);
  }

  function applyKind() {
    const committee = kindSelect && COMMITTEE_KINDS.includes(kindSelect.value);
    if (help) help.textContent = committee ? help.dataset.committeeHelp : help.dataset.membersHelp;
    table.querySelectorAll("tr[data-committee='0']").forEach((row) => {
      show(row, "excused", !committee);
      show(row, "absent", !committee);
      show(row, "none", committee);
      const present = row.querySelector("input[value=present]");
      const label = row.querySelector("label[for='" + present.id + "']");
      label.textContent = committee ? "列席" : label.dataset.label;
      const checked = row.querySelector("input[type=radio]:checked");
      if (committee && checked && (checked.value === "excused" || checked.value === "absent")) {
        row.querySelector("input[value=none]").checked = true;
      } else if (committee && checked && checked.value === "present" && !row.dataset.touched) {
        row.querySelector("input[value=none]").checked = true;
      } else if (!committee && (!checked || checked.value === "none")) {
        present.checked = true;
      }
    });
  }

  table.addEventListener("change", (event) => {
    const row = event.target.closest("tr");
    if (row) row.dataset.touched = "1";
  });
  if (kindSelect) kindSelect.addEventListener("change", applyKind);

  document.getElementById("all-present")?.addEventListener("click", () => {
    const committee = kindSelect && COMMITTEE_KINDS.includes(kindSelect.value);
    const rows = committee ? "tr[data-committee='1']" : "tr";
    table.querySelectorAll(rows + " input[type=radio][value=present]").forEach((r) => {
      r.checked = true;
    });
  });
})();
