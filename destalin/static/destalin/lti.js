// LTI launches inside a platform's frame. Progressive: every page works without it, as a
// button or a link to press.
(function () {
  "use strict";
  // Deep linking: hand the signed answer back to the platform at once.
  var answer = document.querySelector("form[data-autosubmit]");
  if (answer) { answer.submit(); }

  // Dynamic registration: tell the platform it may close its dialog (LTI-DR 1.0, 3.6).
  if (document.querySelector("[data-lti-close]")) {
    (window.opener || window.parent).postMessage({ subject: "org.imsglobal.lti.close" }, "*");
  }

  // OIDC login: go on in this frame if it may keep cookies, otherwise offer the same
  // launch in a new window (pylti1p3's check, without inline script).
  var check = document.getElementById("lti-cookie-check");
  if (!check) { return; }
  var secure = check.dataset.protocol === "https";
  document.cookie = "lti1p3_test_cookie=1; path=/" + (secure ? "; SameSite=None; Secure; Partitioned" : "");
  if (document.cookie.indexOf("lti1p3_test_cookie") !== -1) {
    document.cookie = "lti1p3_test_cookie=1; path=/; expires=Thu, 01 Jan 1970 00:00:01 GMT";
    window.location.replace(document.getElementById("lti1p3-new-tab-link").href);
  } else {
    document.getElementById("lti1p3-loading-msg").hidden = true;
    document.getElementById("lti1p3-warning-msg").hidden = false;
  }
}());
