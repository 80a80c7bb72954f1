// "Quote" on a paragraph quotes the whole paragraph, and "Note" writes about all of it; with a
// selection inside that paragraph, only the selected words. Without JavaScript the links
// still work (the whole paragraph, or words typed into the note's form).
(function () {
  const TOOLS = "a.para-quote, a.para-note";
  let selected = "";
  let anchor = null;
  document.addEventListener("mousedown", function (event) {
    if (!event.target.closest(TOOLS)) return;
    const selection = window.getSelection();
    selected = selection ? selection.toString().trim() : "";
    anchor = selection ? selection.anchorNode : null;
  });
  document.addEventListener("click", function (event) {
    const link = event.target.closest(TOOLS);
    if (!link) return;
    const paragraph = link.closest(".para");
    const selection = window.getSelection();
    const text = selected || (selection ? selection.toString().trim() : "");
    const node = anchor || (selection ? selection.anchorNode : null);
    selected = "";
    anchor = null;
    if (!text || !paragraph || !node || !paragraph.contains(node)) return;
    const url = new URL(link.href, window.location.href);
    url.searchParams.set("text", text);
    link.href = url.toString();
  });
})();

// Wide screens: the notes on a paragraph beside it, loaded as the paragraph comes into view,
// and the words each note is about highlighted in the text. A highlight and its note link to
// each other. Without JavaScript (and on phones) each paragraph's "2 notes" link opens its
// notes on a page of their own.
(function () {
  const wide = window.matchMedia("(min-width: 75rem)");
  const links = document.querySelectorAll(".reading__text a.para-notes");
  if (!wide.matches || !links.length || !("IntersectionObserver" in window)) return;
  const observer = new IntersectionObserver(function (entries) {
    for (const entry of entries) {
      if (!entry.isIntersecting) continue;
      observer.unobserve(entry.target);
      show(entry.target);
    }
  }, { rootMargin: "300px" });
  links.forEach(function (link) {
    const block = link.closest(".para");
    if (block) observer.observe(block);
  });

  function show(block) {
    const link = block.querySelector("a.para-notes");
    const url = new URL(link.href, window.location.href);
    url.searchParams.set("fragment", "1");
    fetch(url, { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : ""; })
      .then(function (html) {
        if (!html) return;
        const aside = document.createElement("aside");
        aside.className = "margin-aside";
        aside.tabIndex = -1;
        aside.id = "margin-" + block.id;
        // The notes page's address ends in the paragraph's "¶ n" (its id is its lasting key).
        const number = url.pathname.split("/").filter(Boolean).pop();
        aside.setAttribute("aria-label", "Notes on paragraph " + number);
        // The server's own rendering of the notes, sanitized as every post is.
        aside.innerHTML = html;
        block.appendChild(aside);
        link.setAttribute("aria-controls", aside.id);
        link.addEventListener("click", function (event) {
          event.preventDefault();
          aside.focus();
        });
        aside.querySelectorAll(".margin-note[data-exact]").forEach(function (note) {
          highlight(block, note);
        });
      });
  }

  function highlight(block, note) {
    const exact = note.dataset.exact;
    const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT, {
      acceptNode: function (node) {
        return node.parentElement.closest("a, aside") ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT;
      },
    });
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const at = node.data.indexOf(exact);
      if (at < 0) continue;
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + exact.length);
      const mark = document.createElement("mark");
      mark.className = "note-mark";
      mark.id = "mark-" + note.id;
      mark.tabIndex = -1;
      mark.setAttribute("aria-describedby", note.id);
      range.surroundContents(mark);
      mark.addEventListener("click", function () { note.querySelector("article").focus(); });
      const article = note.querySelector("article");
      article.tabIndex = -1;
      const back = document.createElement("a");
      back.href = "#" + mark.id;
      back.className = "margin-note__to-text";
      back.textContent = "Show the words in the text";
      back.addEventListener("click", function (event) {
        event.preventDefault();
        mark.focus();
      });
      article.appendChild(back);
      return;
    }
  }
})();
