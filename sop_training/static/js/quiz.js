// Saves each answer as it is given, and counts down the time left. Without this script,
// every page submit saves the page's answers, so nothing depends on it.
(function () {
  "use strict";
  var token = document.querySelector('meta[name="csrf-token"]').content;
  var form = document.getElementById("quiz-form");

  function fieldsOf(fieldset) {
    var fields = {};
    fieldset.querySelectorAll("input, select").forEach(function (el) {
      if (!el.name) return;
      if (!(el.name in fields)) fields[el.name] = [];
      if ((el.type === "radio" || el.type === "checkbox") && !el.checked) return;
      if (el.value !== "") fields[el.name].push(el.value);
    });
    return fields;
  }

  function save(fieldset) {
    var state = fieldset.querySelector("[data-save-state]");
    if (state) state.textContent = state.dataset.saving || "…";
    return fetch(form.dataset.autosaveUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": token, "Accept": "application/json" },
      body: JSON.stringify({ questions: [fieldset.dataset.question], fields: fieldsOf(fieldset) })
    }).then(function (response) {
      return response.json().then(function (data) {
        if (data.closed) { window.location.reload(); return; }
        if (state) state.textContent = response.ok ? state.dataset.saved : (data.error || "!");
        fieldset.dataset.dirty = response.ok ? "" : "1";
      });
    }).catch(function () {
      // Offline: the page submit will carry the answer.
      if (state) state.textContent = state.dataset.offline;
      fieldset.dataset.dirty = "1";
    });
  }

  if (form && form.dataset.autosaveUrl) {
    form.addEventListener("change", function (event) {
      var fieldset = event.target.closest("[data-question]");
      if (fieldset) save(fieldset);
    });
    window.addEventListener("online", function () {
      form.querySelectorAll('[data-question][data-dirty="1"]').forEach(save);
    });
  }

  var timer = document.querySelector("[data-timer]");
  if (timer) {
    var text = timer.querySelector("[data-timer-text]");
    var deadline = Date.now() + parseInt(timer.dataset.remaining, 10) * 1000;
    var tick = function () {
      var left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
      var min = Math.floor(left / 60), sec = left % 60;
      text.textContent = min + ":" + (sec < 10 ? "0" : "") + sec;
      if (left <= 0) {
        clearInterval(handle);
        // Give the server's grace period a moment, then show the scored result.
        var grace = (parseInt(timer.dataset.grace, 10) + 1) * 1000;
        setTimeout(function () { window.location.href = timer.dataset.expiredUrl; }, grace);
      }
    };
    var handle = setInterval(tick, 1000);
  }
})();
