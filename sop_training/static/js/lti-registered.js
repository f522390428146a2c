// Tells the LMS that dynamic registration finished, so it can close the registration window.
(function () {
  "use strict";
  var target = window.opener || window.parent;
  if (target && target !== window) target.postMessage({ subject: "org.imsglobal.lti.close" }, "*");
})();
