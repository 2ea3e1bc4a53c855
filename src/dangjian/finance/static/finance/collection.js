// The collection grid (finance/collection.html): "未填写的按应交金额填写" fills each empty row's
// amount with its due amount and its date with the date chosen beside the button. No inline
// script (CSP): this file is loaded by the page.
(function () {
  "use strict";
  var button = document.getElementById("fill-due");
  if (!button) return;
  button.addEventListener("click", function () {
    var day = document.getElementById("fill-date").value;
    document.querySelectorAll("input[data-due]").forEach(function (paid) {
      if (paid.value.trim() !== "") return;
      paid.value = paid.dataset.due;
      var date = document.getElementById("paid_on_" + paid.dataset.person);
      if (date && !date.value && day) date.value = day;
    });
  });
})();
