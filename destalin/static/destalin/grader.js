// Grader shortcuts: j for the next student, k for the previous, as in mail readers. Never
// while typing in a field, and never with a modifier (so browser shortcuts keep working).
(function () {
  "use strict";
  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || event.defaultPrevented) return;
    var target = event.target;
    if (target.closest && target.closest("input, textarea, select, [contenteditable]")) return;
    var shortcut = { j: "j", k: "k" }[event.key];
    var link = shortcut && document.querySelector('a[data-shortcut="' + shortcut + '"]');
    if (link) {
      event.preventDefault();
      window.location.assign(link.href);
    }
  });
})();
