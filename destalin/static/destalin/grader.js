// The grader's keyboard and its student picker.
//
// Shortcuts: j for the next student, k for the previous, as in mail readers. Typed work is
// never dropped: keys do nothing while the focus is in a form (its fields and its buttons:
// "Save grade" has the focus right after typing feedback), and leaving a form with unsaved
// changes asks first, by shortcut, link or closing the tab. The links carry data-shortcut
// only for people who keep the shortcuts on (their profile; WCAG 2.1.4).
(function () {
  "use strict";

  var watched = Array.prototype.slice.call(document.querySelectorAll("form[data-unsaved-warning]"));
  var initial = watched.map(snapshot);
  var leaving = false;

  function snapshot(form) {
    return Array.prototype.map
      .call(form.elements, function (el) {
        if (el.type === "checkbox" || el.type === "radio") return el.checked ? "1" : "0";
        return el.type === "submit" || el.type === "button" ? "" : el.value;
      })
      .join("\u0000");
  }

  function unsaved() {
    return watched.some(function (form, i) {
      // data-unsaved: sent back with an error or a conflict, so nothing of it is saved yet.
      return form.hasAttribute("data-unsaved") || snapshot(form) !== initial[i];
    });
  }

  watched.forEach(function (form) {
    form.addEventListener("submit", function () {
      leaving = true; // saving is not leaving the work behind
    });
  });

  window.addEventListener("beforeunload", function (event) {
    if (leaving || !unsaved()) return;
    event.preventDefault();
    event.returnValue = ""; // older browsers ask only when this is set
  });

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || event.defaultPrevented) return;
    var target = event.target;
    if (
      target.closest &&
      target.closest("form, input, textarea, select, button, summary, [contenteditable]")
    ) {
      return;
    }
    var shortcut = { j: "j", k: "k" }[event.key];
    var link = shortcut && document.querySelector('a[data-shortcut="' + shortcut + '"]');
    if (!link) return;
    event.preventDefault();
    if (unsaved() && !window.confirm("Your grade for this student is not saved. Leave it?")) {
      return;
    }
    leaving = true; // asked already: the page should not ask again on unload
    window.location.assign(link.href);
  });

  // The picker: a select and a Go button without JavaScript; with it, a box to type part of
  // a name that narrows the list (accents and case ignored), Enter going to the first match.
  Array.prototype.forEach.call(document.querySelectorAll("[data-student-picker]"), function (form) {
    var select = form.querySelector("select");
    if (!select) return;
    var fold = function (text) {
      return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
    };
    var box = document.createElement("input");
    box.type = "search";
    box.id = select.id + "-filter";
    box.autocomplete = "off";
    box.setAttribute("aria-controls", select.id);
    var label = document.createElement("label");
    label.htmlFor = box.id;
    label.textContent = "Type a name";
    var wrap = document.createElement("div");
    wrap.appendChild(label);
    wrap.appendChild(box);
    form.insertBefore(wrap, select.parentNode);
    box.addEventListener("input", function () {
      var wanted = fold(box.value.trim());
      var first = null;
      Array.prototype.forEach.call(select.options, function (option) {
        var match = fold(option.textContent).indexOf(wanted) !== -1;
        option.hidden = !match;
        option.disabled = !match;
        if (match && !first) first = option;
      });
      if (first) select.value = first.value;
    });
  });
})();
