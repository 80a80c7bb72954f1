"""Links built in bulk: a page of thousands of links reverses each URL pattern once."""

from django.urls import reverse


def url_format(viewname, /, ids, **kwargs):
    """The URL of ``viewname`` as a ``str.format`` string: ``kwargs`` filled in, and each
    integer argument named in ``ids`` left as a ``{name}`` field, e.g.
    ``url_format("discussions:post", ["pk"], course="hist-274")`` gives
    ``"/courses/hist-274/posts/{pk}/"``.

    Where an id goes is found by reversing with it as 1 and again as 2 and seeing which
    character changes, so no other argument can be mistaken for it (a number standing in for
    the id, as this once did, was also found inside a course slug such as ``x-2147483647``).
    Raises ``NoReverseMatch`` as ``reverse`` does.
    """
    ones = dict.fromkeys(ids, 1)
    base = reverse(viewname, kwargs={**kwargs, **ones})
    spots = {}
    for name in ids:
        other = reverse(viewname, kwargs={**kwargs, **ones, name: 2})
        spots[next(i for i, (a, b) in enumerate(zip(base, other, strict=True)) if a != b)] = name
    pieces, start = [], 0
    for spot in sorted(spots):
        pieces += [_literal(base[start:spot]), "{" + spots[spot] + "}"]
        start = spot + 1
    return "".join(pieces) + _literal(base[start:])


def _literal(text):
    return text.replace("{", "{{").replace("}", "}}")
