// Focus after an action, so keyboard and screen reader users land where the result is: the
// first field with an error, else the form's own error, else the post or paragraph the
// address points at, else the message saying what happened.
(function () {
  "use strict";
  function focus(element) {
    if (!element) return false;
    if (!element.matches("a, button, input, select, textarea, [tabindex]")) {
      element.setAttribute("tabindex", "-1");
    }
    element.focus();
    return true;
  }
  function target() {
    if (!location.hash) return null;
    try {
      return document.getElementById(decodeURIComponent(location.hash.slice(1)));
    } catch (error) {
      return null;
    }
  }
  document.addEventListener("DOMContentLoaded", function () {
    focus(document.querySelector("main [aria-invalid='true']")) ||
      focus(document.querySelector("main .errorlist.nonfield, main [role='alert']")) ||
      focus(target()) ||
      focus(document.querySelector("main .messages"));
  });
})();
