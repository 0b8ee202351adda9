// Documents: say at once when a chosen file is over the upload limit, instead of after
// sending it. The server enforces the limit anyway; this only saves the agent the wait.
(function () {
  if (window.documentsJsLoaded) { return; }
  window.documentsJsLoaded = true;

  function sizeText(bytes) {
    var mb = bytes / (1024 * 1024);
    return (Math.round(mb * 10) / 10).toString() + " MB";
  }

  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches("input[type=file][data-max-bytes]")) { return; }
    var max = parseInt(input.dataset.maxBytes, 10);
    var field = input.closest(".field");
    var out = field ? field.querySelector("[data-size-error]") : null;
    var file = input.files && input.files[0];
    var message = "";
    if (file && max && file.size > max) {
      message = "This file is " + sizeText(file.size) + "; the largest accepted upload is " + sizeText(max).replace(".0 MB", " MB") + ".";
    }
    input.setCustomValidity(message);
    if (out) {
      out.textContent = message;
      out.hidden = !message;
    }
    if (field) { field.classList.toggle("has-error", !!message); }
  });

  // Upload progress for the htmx form (a 50 MB scan takes a while on a slow line).
  document.addEventListener("htmx:xhr:progress", function (event) {
    var form = event.target.closest && event.target.closest(".docs-upload");
    var bar = form ? form.querySelector(".docs-progress") : null;
    if (bar && event.detail.lengthComputable) {
      bar.value = Math.round((event.detail.loaded / event.detail.total) * 100);
    }
  });
})();
