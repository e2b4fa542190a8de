/* Small progressive enhancements; every page works without them. No inline scripts (CSP). */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  var phone = window.matchMedia("(max-width: 47.99rem)");

  function ready(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  ready(function () {
    // The sidebar folds behind a Menu button on narrow screens.
    var toggle = document.querySelector("[data-menu-toggle]");
    var sidebar = document.getElementById("sidebar");
    if (toggle && sidebar) {
      toggle.addEventListener("click", function () {
        var open = sidebar.classList.toggle("is-open");
        toggle.setAttribute("aria-expanded", open ? "true" : "false");
      });
    }

    // On a phone the unit tree starts folded unless a unit is selected.
    if (phone.matches) {
      document.querySelectorAll("details[data-collapse-on-phone]").forEach(function (el) {
        if (!el.hasAttribute("data-keep-open")) el.removeAttribute("open");
      });
    }

    // A refused import's problem list takes the focus, so it is read out first.
    var problems = document.querySelector("[role=alert][tabindex='-1']");
    if (problems) problems.focus();
  });

  // A table wider than its box scrolls inside its .table-wrap; keyboard users reach that
  // scrolling only if the box can take the focus, and a focusable box needs a name: the
  // table's caption where it has one.
  var scrollerCount = 0;
  function markScrollers(root) {
    (root || document).querySelectorAll(".table-wrap").forEach(function (wrap) {
      var scrolls = wrap.scrollWidth > wrap.clientWidth + 1;
      if (scrolls && !wrap.hasAttribute("tabindex")) {
        wrap.setAttribute("tabindex", "0");
        wrap.setAttribute("role", "region");
        var caption = wrap.querySelector("caption");
        if (wrap.hasAttribute("aria-label") || wrap.hasAttribute("aria-labelledby")) {
          // The template named it already.
        } else if (caption && caption.textContent.trim()) {
          if (!caption.id) caption.id = "table-caption-" + (++scrollerCount);
          wrap.setAttribute("aria-labelledby", caption.id);
        } else {
          wrap.setAttribute("aria-label", "Table, scrolls sideways");
        }
        wrap.setAttribute("data-scroller", "");
      } else if (!scrolls && wrap.hasAttribute("data-scroller")) {
        ["tabindex", "role", "data-scroller"].forEach(function (name) {
          wrap.removeAttribute(name);
        });
      }
    });
  }
  ready(function () { markScrollers(document); });
  var resizing = null;
  window.addEventListener("resize", function () {
    clearTimeout(resizing);
    resizing = setTimeout(function () { markScrollers(document); }, 150);
  });
  document.addEventListener("toggle", function (event) { markScrollers(event.target); }, true);
  document.addEventListener("htmx:afterSettle", function (event) { markScrollers(event.target); });

  // Drop-down menus (the organization switcher) close on Escape and on a click elsewhere.
  document.addEventListener("click", function (event) {
    document.querySelectorAll("details[data-dismissable][open]").forEach(function (el) {
      if (!el.contains(event.target)) el.removeAttribute("open");
    });
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    document.querySelectorAll("details[data-dismissable][open]").forEach(function (el) {
      el.removeAttribute("open");
      var summary = el.querySelector("summary");
      if (summary) summary.focus();
    });
  });

  // Destructive buttons ask first.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form && form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) event.preventDefault();
  }, true);
})();
