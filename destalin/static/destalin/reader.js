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
