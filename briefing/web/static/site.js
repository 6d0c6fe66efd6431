// briefing serve: our own small script. The pages work without it; it moves focus as the
// GOV.UK error summary pattern asks: to the summary when a page has problems, and from a
// summary link to the field itself.
(function () {
  "use strict";
  var summary = document.getElementById("error-summary");
  var focused = document.querySelector("[autofocus]");
  if (summary && !focused) { summary.focus(); }
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest(".error-summary a[href^='#']");
    if (!link) { return; }
    var target = document.getElementById(link.getAttribute("href").slice(1));
    if (!target) { return; }
    var control = target.matches("input, select, textarea") ? target
      : target.querySelector("input:not([type=hidden]), select, textarea");
    if (control) {
      event.preventDefault();
      var legend = target.querySelector("legend");
      (legend || control).scrollIntoView();
      control.focus({ preventScroll: true });
      history.replaceState(null, "", link.getAttribute("href"));
    }
  });
})();
