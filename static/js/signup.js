// Sign-up: choosing a state proposes its time zone (the mapping is the server's, in the
// state select's data-state-zones; accounts/time_zones.py). A zone the person chose
// themselves is never overwritten. Without JS the server uses the state's zone when the
// time zone is left on "The state's time zone". No inline script (CSP).
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var state = document.querySelector("select[data-state-zones]");
    var zone = state && state.form && state.form.elements.namedItem("time_zone");
    var note = document.querySelector("[data-zone-note]");
    if (!state || !zone) return;
    var zones = JSON.parse(state.getAttribute("data-state-zones"));
    var chosenByHand = zone.value !== "";

    zone.addEventListener("change", function () {
      chosenByHand = true;
      if (note) note.hidden = true;
    });
    state.addEventListener("change", function () {
      var proposed = zones[state.value];
      if (!proposed || chosenByHand) return;
      zone.value = proposed;
      if (note) {
        var label = zone.options[zone.selectedIndex].text;
        var stateName = state.options[state.selectedIndex].text;
        note.textContent = "Time zone set to " + label + " for " + stateName + ". Change it if your office keeps another.";
        note.hidden = false;
      }
    });
  });
})();
