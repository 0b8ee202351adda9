// Warn before leaving a page whose form holds changes that were not saved.
// Forms opt in with data-warn-unsaved; the server marks a form that came back with errors
// data-unsaved (its typed values are not stored yet). No inline script (CSP).
(function () {
  "use strict";

  var IGNORE = "[data-inline-create], [data-unsaved-ignore]";
  var snapshots = new WeakMap();
  var leaving = null; // the form whose own submission is navigating away

  function serialize(form) {
    var parts = [];
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.name === "csrfmiddlewaretoken" || el.closest(IGNORE)) return;
      if (el.type === "checkbox" || el.type === "radio") {
        parts.push(el.name + "=" + (el.checked ? el.value : ""));
      } else if (el.type === "file") {
        parts.push(el.name + "=" + Array.prototype.map.call(el.files || [], function (f) { return f.name; }).join("|"));
      } else if (el.tagName !== "BUTTON") {
        parts.push(el.name + "=" + el.value);
      }
    });
    return parts.join("&");
  }

  function isDirty(form) {
    if (form.hasAttribute("data-unsaved")) return true;
    return snapshots.has(form) && snapshots.get(form) !== serialize(form);
  }

  function showStatus(form) {
    var status = form.querySelector("[data-unsaved-status]");
    if (status) status.hidden = !isDirty(form);
  }

  function track(root) {
    var forms = root.matches && root.matches("form[data-warn-unsaved]") ? [root] : [];
    forms = forms.concat(Array.prototype.slice.call(root.querySelectorAll("form[data-warn-unsaved]")));
    forms.forEach(function (form) {
      if (!snapshots.has(form)) snapshots.set(form, serialize(form));
      showStatus(form);
    });
  }

  function watched(event) {
    var form = event.target.form || (event.target.closest && event.target.closest("form"));
    if (form && form.hasAttribute("data-warn-unsaved")) showStatus(form);
  }

  document.addEventListener("DOMContentLoaded", function () { track(document); });
  document.addEventListener("input", watched);
  document.addEventListener("change", watched);
  // A form htmx swapped in (e.g. the next-step card after saving) starts clean.
  document.addEventListener("htmx:load", function (event) { track(event.detail.elt); });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.hasAttribute("hx-post") || event.defaultPrevented) return; // htmx stays on the page
    leaving = form;
  });

  window.addEventListener("beforeunload", function (event) {
    var forms = document.querySelectorAll("form[data-warn-unsaved]");
    var dirty = Array.prototype.some.call(forms, function (form) {
      return form !== leaving && isDirty(form);
    });
    leaving = null;
    if (!dirty) return undefined;
    event.preventDefault();
    event.returnValue = "";
    return "";
  });
})();
