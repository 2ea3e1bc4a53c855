// Renders every <div data-echart="ID"> with the ECharts option in the JSON script element #ID
// (written by Django's json_script filter). Served from our own static files: no CDN.
// A data item with a `url` (a same-site path) opens it on click: drill-down without inline script.
(function () {
  function render() {
    document.querySelectorAll("[data-echart]").forEach(function (el) {
      var source = document.getElementById(el.dataset.echart);
      if (!source || el.dataset.rendered) return;
      var option = JSON.parse(source.textContent);
      option.textStyle = option.textStyle || { fontFamily: "system-ui, 'Noto Sans CJK SC', sans-serif" };
      var chart = echarts.init(el, null, { renderer: "svg" });
      chart.setOption(option);
      // Drill-down: a data item may carry the URL of the list or page behind it.
      chart.on("click", function (p) {
        var url = p.data && p.data.url;
        if (typeof url === "string" && url.charAt(0) === "/" && url.charAt(1) !== "/") location.href = url;
      });
      el.dataset.rendered = "1";
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", render);
  else render();
  document.addEventListener("htmx:afterSettle", render);
})();
