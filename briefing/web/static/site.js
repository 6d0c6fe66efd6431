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

// Problems as the officer works: when a field changes, the form is checked on the server
// (the same check as the "Check for problems" button; nothing is saved) and the messages at
// the fields, the error summary and the section counts are brought up to date in place.
(function () {
  "use strict";
  var form = document.querySelector("form.editor");
  if (!form || !window.fetch || !window.DOMParser) { return; }
  var timer = null;
  var status = document.createElement("p");
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  status.id = "live-status";
  form.prepend(status);

  function swap(oldEl, newEl, place) {
    if (oldEl && newEl) { oldEl.replaceWith(newEl); }
    else if (oldEl) { oldEl.remove(); }
    else if (newEl) { place(newEl); }
  }

  function sync(doc) {
    var summary = doc.getElementById("error-summary");
    if (summary) { summary.removeAttribute("role"); }
    var main = document.getElementById("main");
    swap(document.getElementById("error-summary"), summary,
         function (el) { main.prepend(el); });
    form.querySelectorAll("[id^='f-']").forEach(function (el) {
      var twin = doc.getElementById(el.id);
      if (!twin || el.id.slice(-6) === "-error" || el.id.slice(-5) === "-hint") { return; }
      ["aria-describedby", "aria-invalid"].forEach(function (name) {
        if (twin.hasAttribute(name)) { el.setAttribute(name, twin.getAttribute(name)); }
        else { el.removeAttribute(name); }
      });
      var group = el.closest(".form-group, fieldset");
      var twinGroup = twin.closest(".form-group, fieldset");
      if (group && twinGroup) {
        group.classList.toggle("has-error", twinGroup.classList.contains("has-error"));
      }
      swap(document.getElementById(el.id + "-error"), doc.getElementById(el.id + "-error"),
           function (message) {
             var anchor = document.getElementById(el.id + "-hint") ||
               (el.matches("fieldset") ? el.querySelector("legend") : null);
             if (anchor) { anchor.after(message); } else { el.before(message); }
           });
    });
    var nav = document.querySelector("nav.sections");
    var twinNav = doc.querySelector("nav.sections");
    if (nav && twinNav) { nav.innerHTML = twinNav.innerHTML; }
    var count = summary ? summary.querySelectorAll("li").length : 0;
    status.textContent = count ? count + (count === 1 ? " problem" : " problems") + " on this page"
                               : "No problems on this page";
  }

  function check() {
    var data = new FormData(form);
    data.set("action", "check");
    data.delete("op");
    fetch(form.getAttribute("action"), { method: "POST", body: new URLSearchParams(data),
                         credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (html) { sync(new DOMParser().parseFromString(html, "text/html")); }
      })
      .catch(function () { /* the buttons still check and save */ });
  }

  form.addEventListener("change", function () {
    clearTimeout(timer);
    timer = setTimeout(check, 250);
  });
})();
