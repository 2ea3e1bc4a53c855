// 我的账号: print the recovery codes, copy a new API token. No inline script (CSP).
document.querySelectorAll("[data-dj-print]").forEach(function (button) {
  button.addEventListener("click", function () { window.print(); });
});
document.querySelectorAll("[data-dj-copy]").forEach(function (button) {
  button.addEventListener("click", function () {
    var field = document.querySelector(button.getAttribute("data-dj-copy"));
    field.select();
    if (navigator.clipboard) { navigator.clipboard.writeText(field.value); } else { document.execCommand("copy"); }
    button.innerHTML = '<i class="bi bi-check2 me-1"></i>已复制';
  });
});
