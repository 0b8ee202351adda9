// Small progressive enhancements. No inline scripts anywhere (Content-Security-Policy).
document.addEventListener("click", function (event) {
  const button = event.target.closest("[data-confirm]");
  if (button && !window.confirm(button.dataset.confirm)) {
    event.preventDefault();
  }
});

// The phone menu: on a narrow screen the main navigation folds behind a "Menu" button.
// Without JavaScript the button stays hidden and the navigation is simply shown.
(function () {
  const toggle = document.querySelector(".nav-toggle");
  const bar = toggle && toggle.closest(".topbar");
  if (!bar) return;
  toggle.hidden = false;
  bar.classList.add("nav-collapsible");
  toggle.addEventListener("click", function () {
    const open = bar.classList.toggle("nav-open");
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && bar.classList.contains("nav-open")) {
      bar.classList.remove("nav-open");
      toggle.setAttribute("aria-expanded", "false");
      toggle.focus();
    }
  });
})();
