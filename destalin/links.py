"""Links built in bulk: a page of thousands of links reverses each URL pattern once."""

from django.urls import reverse

# The first stand-in for an id; the next ones follow it.
STAND_IN = 1_000_000_000


def url_format(viewname, /, ids, **kwargs):
    """The URL of ``viewname`` as a ``str.format`` string: ``kwargs`` filled in, and the
    integer arguments named in ``ids`` left as positional fields in that order (positional
    formatting is the faster), e.g. ``url_format("discussions:post", ["pk"], course="hist-274")``
    gives ``"/courses/hist-274/posts/{0}/"``.

    The ids are reversed as stand-in numbers and found again in the URL; a stand-in that
    occurs in it more than once (inside a course slug such as ``x-1000000000``) is replaced
    by the next, so nothing else in the URL is ever taken for an id. (A fixed number found
    with ``replace`` once wrote post ids into courses slugged ``x-2147483647``.) Raises
    ``NoReverseMatch`` as ``reverse`` does.
    """
    stand_in = STAND_IN
    while True:
        values = {name: stand_in + n for n, name in enumerate(ids)}
        url = reverse(viewname, kwargs={**kwargs, **values})
        texts = [str(value) for value in values.values()]
        # find and rfind agree only when the text occurs once, overlapping occurrences too.
        spots = [url.find(text) for text in texts]
        if all(spot == url.rfind(text) for spot, text in zip(spots, texts, strict=True)):
            break
        stand_in += len(ids)
    pieces, start = [], 0
    for spot, field, text in sorted(zip(spots, range(len(ids)), texts, strict=True)):
        pieces += [_literal(url[start:spot]), f"{{{field}}}"]
        start = spot + len(text)
    return "".join(pieces) + _literal(url[start:])


def _literal(text):
    return text.replace("{", "{{").replace("}", "}}")
