"""What "a rendered text can never run script" means, checked on the parsed HTML rather than
on its characters (escaped text like ``&lt;script&gt;`` is harmless)."""

from html.parser import HTMLParser

ALLOWED_TAGS = {
    "p", "br", "hr", "h3", "h4", "h5", "h6", "ul", "ol", "li", "blockquote", "pre", "code",
    "em", "strong", "a", "table", "thead", "tbody", "tr", "th", "td",
    # Pages isolate people's names and titles in <bdi> (it takes no attributes here).
    "bdi",
}  # fmt: skip
ALLOWED_SCHEMES = ("http://", "https://", "mailto:", "/", "#")


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.problems = []

    def handle_starttag(self, tag, attrs):
        if tag not in ALLOWED_TAGS:
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on") or name in {"style", "src", "srcdoc", "formaction"}:
                self.problems.append(f"{tag}[{name}]")
            if name == "href" and not (value or "").strip().lower().startswith(ALLOWED_SCHEMES):
                self.problems.append(f"href={value}")


def unsafe_parts(html):
    """The tags and attributes in ``html`` that could run script or escape their element."""
    collector = _Collector()
    collector.feed(html)
    collector.close()
    return collector.problems
