// Rabta's few behaviours. A file of its own because the Content Security
// Policy allows no inline script; every page works without it.
(function () {
  "use strict";

  // htmx requests carry the CSRF token the page was rendered with.
  document.addEventListener("htmx:configRequest", function (e) {
    var meta = document.querySelector('meta[name="csrf-token"]');
    if (meta) e.detail.headers["X-CSRF-Token"] = meta.content;
  });

  // A select marked data-autosubmit submits its form when changed (the
  // form keeps its own button for use without JavaScript).
  document.addEventListener("change", function (e) {
    var el = e.target;
    if (el.matches("select[data-autosubmit]") && el.form) {
      if (el.form.requestSubmit) el.form.requestSubmit(); else el.form.submit();
    }
    if (el.name === "release") syncRelease(el.form);
  });

  // Buttons marked data-confirm ask first.
  document.addEventListener("click", function (e) {
    var b = e.target.closest("[data-confirm]");
    if (b && !window.confirm(b.getAttribute("data-confirm"))) e.preventDefault();
  });

  // The agency boxes matter only when the release names agencies.
  function syncRelease(form) {
    if (!form) return;
    var set = form.querySelector("fieldset[data-agencies]");
    var chosen = form.querySelector('input[name="release"]:checked');
    if (set) set.disabled = !chosen || chosen.value !== "agencies";
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form.record-form").forEach(syncRelease);
  });
})();
