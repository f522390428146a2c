// Sends forms marked data-auto-submit at once (the button stays for browsers without script).
(function () {
  "use strict";
  var form = document.querySelector("form[data-auto-submit]");
  if (form) form.submit();
})();
