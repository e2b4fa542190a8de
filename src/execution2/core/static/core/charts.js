/* Draws every [data-vega-chart] with vega-embed, loading the vendored Vega libraries only on
   pages that have a chart. The expression interpreter keeps Vega away from eval, which the
   Content-Security-Policy forbids; canvas rendering needs no inline styles. */
(function () {
  "use strict";
  var loading = null;

  function load(src) {
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = src;
      script.onload = resolve;
      script.onerror = function () { reject(new Error("could not load " + src)); };
      document.head.appendChild(script);
    });
  }

  function libraries(urls) {
    if (!loading) {
      loading = load(urls[0])
        .then(function () { return load(urls[1]); })
        .then(function () { return Promise.all([load(urls[2]), load(urls[3])]); });
    }
    return loading;
  }

  function css(name, fallback) {
    var value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
    return value || fallback;
  }

  function theme() {
    var text = css("--color-text", "#1f2933");
    var muted = css("--color-muted", "#5a6676");
    var grid = css("--color-border", "#d9dee5");
    return {
      background: null,
      font: css("--font-sans", "system-ui, sans-serif"),
      axis: { labelColor: muted, titleColor: text, gridColor: grid, domainColor: grid, tickColor: grid },
      legend: { labelColor: muted, titleColor: text },
      header: { labelColor: text, titleColor: text },
      title: { color: text },
      view: { stroke: null },
      range: { category: [css("--color-accent", "#2f6fdf"), "#e07b39", "#3a9d5d", "#b54a7f", "#7a5cc7", "#c9a227", "#3aa3b5", "#8a6f55"] }
    };
  }

  function draw(element) {
    if (element.hasAttribute("data-rendered")) return;
    element.setAttribute("data-rendered", "");
    var specNode = document.getElementById(element.getAttribute("data-spec-id"));
    if (!specNode) return;
    var spec = JSON.parse(specNode.textContent);
    var urls = JSON.parse(element.getAttribute("data-vega-libraries"));
    libraries(urls).then(function () {
      return window.vegaEmbed(element, spec, {
        renderer: "canvas",
        actions: false,
        ast: true,
        expr: window.vegaInterpreter.expressionInterpreter,
        defaultStyle: false,
        tooltip: { disableDefaultStyle: true },
        config: theme()
      });
    }).catch(function (error) {
      element.classList.add("chart-failed");
      element.textContent = "The chart could not be drawn; the numbers are below.";
      if (window.console) console.warn(error);
    });
  }

  function drawAll(root) {
    (root || document).querySelectorAll("[data-vega-chart]").forEach(draw);
  }

  if (document.readyState !== "loading") drawAll(document);
  else document.addEventListener("DOMContentLoaded", function () { drawAll(document); });
  document.addEventListener("htmx:afterSettle", function (event) { drawAll(event.target); });
})();
