// Vault: typeahead pickers, inline create, policy rows, "+" row expansion.
// No inline scripts (Content-Security-Policy); htmx does the requests.
(function () {
  "use strict";

  // ---- Typeahead pickers -------------------------------------------------------------
  function pickerOf(el) {
    return el.closest("[data-picker]");
  }

  function closeResults(picker) {
    const results = picker.querySelector(".typeahead-results");
    const input = picker.querySelector("[data-picker-input]");
    if (results) results.innerHTML = "";
    if (input) input.setAttribute("aria-expanded", "false");
  }

  function pick(field, id, label) {
    const picker = document.querySelector('[data-picker="' + field + '"]');
    if (!picker) return;
    const hidden = picker.querySelector('input[type="hidden"][name="' + field + '"]');
    const input = picker.querySelector("[data-picker-input]");
    if (hidden) hidden.value = id;
    if (input) input.value = label;
    picker.classList.add("is-picked");
    picker.classList.remove("has-error");
    closeResults(picker);
    // The Builder's "where the request goes" box reloads for the new carrier.
    if (field === "carrier") document.body.dispatchEvent(new CustomEvent("vault:carrier-picked"));
    if (field === "carrier") showCarrierFigures(id);
  }

  // How fast the chosen carrier answers (escalation:carrier_figures, an htmx fragment).
  function showCarrierFigures(id) {
    const box = document.getElementById("carrier-figures");
    if (!box || !id || !window.htmx) return;
    const url = box.dataset.figuresUrl.replace("/0/", "/" + encodeURIComponent(id) + "/");
    window.htmx.ajax("GET", url, { target: box, swap: "innerHTML" });
  }

  document.addEventListener("DOMContentLoaded", function () {
    const hidden = document.querySelector('[data-picker="carrier"] input[type="hidden"][name="carrier"]');
    if (hidden && hidden.value) showCarrierFigures(hidden.value);
  });

  // "+ Add “Coastal Brew”" in the dropdown: open the add form with the typed name in it.
  function openAdd(field, name) {
    const details = document.querySelector('details[data-inline-for="' + field + '"]');
    const picker = document.querySelector('[data-picker="' + field + '"]');
    if (picker) closeResults(picker);
    if (!details) return;
    details.open = true;
    const legal = details.querySelector('input[name$="legal_name"]');
    if (legal) {
      legal.value = name;
      const next = details.querySelectorAll("input, select, textarea")[1];
      (next || legal).focus();
    }
  }

  document.addEventListener("click", function (event) {
    const add = event.target.closest(".typeahead-add");
    if (add) {
      event.preventDefault();
      openAdd(add.dataset.addField, add.dataset.addName);
      return;
    }
    const option = event.target.closest(".typeahead-option");
    if (option) {
      event.preventDefault();
      pick(option.dataset.pickField, option.dataset.pickId, option.dataset.pickLabel);
      const input = document.getElementById("id_" + option.dataset.pickField + "_q");
      if (input) input.focus();
      return;
    }
    // A click elsewhere closes open result lists.
    document.querySelectorAll("[data-picker]").forEach(function (picker) {
      if (!picker.contains(event.target)) closeResults(picker);
    });
  });

  document.addEventListener("input", function (event) {
    const input = event.target.closest("[data-picker-input]");
    if (!input) return;
    const picker = pickerOf(input);
    const hidden = picker.querySelector('input[type="hidden"]');
    if (hidden) hidden.value = ""; // typed text no longer names the chosen row
    picker.classList.remove("is-picked");
    const note = picker.querySelector("[data-picker-added]");
    if (note) note.hidden = true;
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    const target = event.detail.target;
    if (target && target.classList.contains("typeahead-results")) {
      const picker = pickerOf(target);
      const input = picker && picker.querySelector("[data-picker-input]");
      if (input) input.setAttribute("aria-expanded", target.querySelector("[role=option]") ? "true" : "false");
    }
  });

  document.addEventListener("keydown", function (event) {
    const input = event.target.closest("[data-picker-input]");
    const option = event.target.closest(".typeahead-option, .typeahead-add");
    if (input || option) {
      const picker = pickerOf(event.target);
      const options = Array.from(picker.querySelectorAll(".typeahead-option, .typeahead-add"));
      const index = option ? options.indexOf(option) : -1;
      if (event.key === "ArrowDown" && options.length) {
        event.preventDefault();
        options[Math.min(index + 1, options.length - 1)].focus();
      } else if (event.key === "ArrowUp" && option) {
        event.preventDefault();
        if (index <= 0) picker.querySelector("[data-picker-input]").focus();
        else options[index - 1].focus();
      } else if (event.key === "Escape") {
        closeResults(picker);
        picker.querySelector("[data-picker-input]").focus();
      } else if (event.key === "Enter" && input) {
        // Enter in the search box picks the only/first match instead of submitting the form.
        event.preventDefault();
        if (options.length) options[0].click();
      }
      return;
    }
    // Enter inside an inline-create box adds the row instead of submitting the request form.
    const inline = event.target.closest("[data-inline-create]");
    if (inline && event.key === "Enter" && event.target.tagName !== "TEXTAREA" && event.target.tagName !== "BUTTON") {
      event.preventDefault();
      const submit = inline.querySelector("[data-inline-submit]");
      if (submit) submit.click();
    }
  });

  // The server names what it created (HX-Trigger: {"vault:picked": {...}}).
  // ... which is a row just added: choose it, fold the add form, say so by the box.
  document.addEventListener("vault:picked", function (event) {
    const d = event.detail || {};
    if (!d.field) return;
    pick(d.field, d.id, d.label);
    const details = document.querySelector('details[data-inline-for="' + d.field + '"]');
    if (details) details.open = false;
    const picker = document.querySelector('[data-picker="' + d.field + '"]');
    const note = picker && picker.querySelector("[data-picker-added]");
    if (note) {
      note.textContent = d.note || "Added " + d.label + " and chose it for this request.";
      note.hidden = false;
    }
    const input = document.getElementById("id_" + d.field + "_q");
    if (input) input.focus();
  });

  // ---- Policy rows ---------------------------------------------------------------------
  document.addEventListener("click", function (event) {
    const add = event.target.closest("[data-add-policy]");
    if (!add) return;
    const template = document.getElementById("policy-empty");
    const rows = document.getElementById("policy-rows");
    const total = document.getElementById("id_policies-TOTAL_FORMS");
    if (!template || !rows || !total) return;
    const index = parseInt(total.value, 10) || 0;
    const html = template.innerHTML.replace(/__prefix__/g, String(index));
    rows.insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
    const first = rows.lastElementChild && rows.lastElementChild.querySelector("input[type=text]");
    if (first) first.focus();
  });

  document.addEventListener("change", function (event) {
    const box = event.target.closest("[data-policy-remove]");
    if (!box) return;
    const row = box.closest("[data-policy-row]");
    if (row) row.classList.toggle("is-removed", box.checked);
  });

  // ---- "+" expansion in the vault list ---------------------------------------------------
  document.addEventListener("click", function (event) {
    const button = event.target.closest(".expand-toggle");
    if (!button) return;
    const detailId = button.getAttribute("aria-controls");
    const detail = document.getElementById(detailId);
    const icon = button.querySelector(".expand-icon");
    if (button.getAttribute("aria-expanded") === "true") {
      if (detail) detail.hidden = true;
      button.setAttribute("aria-expanded", "false");
      if (icon) icon.textContent = "+";
      return;
    }
    button.setAttribute("aria-expanded", "true");
    if (icon) icon.textContent = "−";
    if (detail) {
      detail.hidden = false;
      return;
    }
    const row = button.closest("tr");
    if (window.htmx && row) {
      window.htmx.ajax("GET", button.dataset.rowUrl, { target: row, swap: "afterend" });
    }
  });

  // ---- The request page's next-step card -------------------------------------------------
  // An e-mail link (?focus=<field>#next-step) renders that field with autofocus, but browsers
  // skip autofocus when the URL names a #fragment: focus it here once the page has loaded.
  function focusAsked() {
    const field = document.querySelector("#next-step [autofocus]");
    const active = document.activeElement;
    if (field && (!active || active === document.body || active.id === "next-step")) field.focus();
  }
  document.addEventListener("DOMContentLoaded", focusAsked);
  window.addEventListener("load", focusAsked);

  // After the card saved (htmx swaps it), focus the first refused date, else the card.
  document.addEventListener("htmx:afterSwap", function (event) {
    const target = event.detail.target;
    const card = document.getElementById("next-step");
    if (!card || !target || target.id !== "next-step") return;
    const invalid = card.querySelector(".has-error input");
    (invalid || card).focus();
  });

  // Focus the error summary after a failed save so screen readers announce it.
  document.addEventListener("DOMContentLoaded", function () {
    const summary = document.getElementById("form-errors");
    if (summary) summary.focus();
  });
})();
