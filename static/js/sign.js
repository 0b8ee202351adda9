// The signing page: a drawn signature (vendor signature_pad, MIT) or a typed one.
// No inline script (Content-Security-Policy). Without JavaScript the typed signature works.
(function () {
  "use strict";
  const form = document.getElementById("sign-form");
  if (!form) return;
  const canvas = document.getElementById("signature-canvas");
  const data = document.getElementById("id_signature_data");
  const clear = document.getElementById("signature-clear");
  const drawBox = document.getElementById("draw-box");
  const typeBox = document.getElementById("type-box");
  let pad = null;

  function method() {
    const checked = form.querySelector('input[name="method"]:checked');
    return checked ? checked.value : "drawn";
  }

  function showMethod() {
    const drawn = method() === "drawn" && pad !== null;
    drawBox.hidden = !drawn;
    typeBox.hidden = drawn;
  }

  function resize() {
    if (!pad) return;
    const kept = pad.isEmpty() ? null : pad.toData();
    const ratio = Math.max(window.devicePixelRatio || 1, 1);
    canvas.width = canvas.offsetWidth * ratio;
    canvas.height = canvas.offsetHeight * ratio;
    canvas.getContext("2d").scale(ratio, ratio);
    pad.clear();
    if (kept) pad.fromData(kept);
  }

  if (canvas && window.SignaturePad) {
    pad = new window.SignaturePad(canvas, { penColor: "#10243a" });
    document.body.classList.add("has-signature-pad");
    resize();
    window.addEventListener("resize", resize);
    if (data.value) pad.fromDataURL(data.value, { ratio: 1, width: canvas.offsetWidth, height: canvas.offsetHeight });
    clear.addEventListener("click", function () {
      pad.clear();
      data.value = "";
    });
  } else {
    const typed = form.querySelector('input[name="method"][value="typed"]');
    if (typed) typed.checked = true;
  }
  form.addEventListener("change", function (event) {
    if (event.target.name === "method") showMethod();
  });
  showMethod();

  form.addEventListener("submit", function (event) {
    const action = event.submitter ? event.submitter.value : "sign";
    if (action === "sign" && pad && method() === "drawn") {
      data.value = pad.isEmpty() ? "" : pad.toDataURL("image/png");
    }
  });
})();
