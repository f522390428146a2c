// Inside an LMS frame: go on with the launch if cookies work here, else offer a new window.
(function () {
  "use strict";
  var box = document.querySelector("[data-cookie-check]");
  if (!box) return;
  var name = "sop-cookie-check";
  var secure = location.protocol === "https:" ? "; SameSite=None; Secure" : "";
  document.cookie = name + "=1; path=/" + secure;
  var works = navigator.cookieEnabled && document.cookie.indexOf(name + "=1") !== -1;
  if (works) {
    document.cookie = name + "=; path=/; max-age=0" + secure;
    location.href = box.dataset.next;
  } else {
    box.querySelector("[data-cookie-blocked]").hidden = false;
  }
})();
