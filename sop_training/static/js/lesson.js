// Marks a lesson done when the reader reaches its end, without leaving the page.
(function () {
  "use strict";
  var end = document.getElementById("lesson-end");
  if (!end || end.dataset.isDone === "true" || !("IntersectionObserver" in window)) return;
  var token = document.querySelector('meta[name="csrf-token"]').content;
  var sent = false;
  var observer = new IntersectionObserver(function (entries) {
    if (sent || !entries.some(function (e) { return e.isIntersecting; })) return;
    sent = true;
    observer.disconnect();
    fetch(end.dataset.doneUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": token, "Accept": "application/json" }
    }).then(function (response) {
      if (!response.ok) throw new Error(response.status);
      return response.json();
    }).then(function (data) {
      end.dataset.isDone = "true";
      var badge = document.querySelector("[data-done-badge]");
      if (badge) badge.hidden = false;
      var bar = document.querySelector("[data-progress] progress");
      if (bar) { bar.value = data.done; bar.max = data.total; }
      var text = document.querySelector("[data-progress] [data-progress-text]");
      if (text) text.textContent = data.label;
    }).catch(function () { sent = false; });
  }, { threshold: 1.0 });
  observer.observe(end);
})();
