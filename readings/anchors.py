"""Anchors that survive edits: the one implementation for paragraph links, quotes in posts and
notes in the margin.

Two things, both pure (no database; callers pass texts in and store what comes out):

**Block identities.** Every numbered block of a reading (paragraph, list item, table row) has a
*key*, a positive integer unique within the reading and never reused. The visible "¶ N" is the
block's place in the current version, for reading aloud; the key is its identity, and the HTML
anchor is ``p-<key>``. When a reading is edited, ``carry_keys`` gives each block of the new
version the key of the block it continues, as a diff does: ``difflib.SequenceMatcher`` over the
block texts keeps the unchanged runs, edited blocks inside a replaced run keep their key when
they are similar enough (``SIMILAR``), and a block moved elsewhere unchanged keeps its key. The
first version's keys are its numbers (1, 2, 3, ...), so a ``#p-6`` link made before blocks had
keys still lands on the words that were ¶ 6 then.

**Passages.** A quoted passage (or a note's passage) is stored as the W3C Web Annotation Data
Model does (https://www.w3.org/TR/annotation-model/#selectors): the block it is in (a fragment
selector, ``p-<key>``), refined by a TextQuoteSelector (``exact`` words with up to
``CONTEXT_CHARS`` characters of ``prefix`` and ``suffix``) and a TextPositionSelector (``start``,
``end``: character offsets in the block's plain text). ``locate`` finds it again in a later
version, and prefers saying "changed" to guessing:

- ``SAME``: the words are still in their block (at the stored position, or elsewhere in the
  block, the context choosing between repeats);
- ``MOVED``: their block is gone (split, merged, moved), and exactly one place in the reading has
  the same words with the same context around them;
- ``REWORDED``: the words were edited in their block, and the unchanged context on both sides
  (or the block's edge) pins down exactly one stretch of new words;
- ``CHANGED``: the block is still there but the passage cannot be told apart any more;
- ``REMOVED``: the block and the words are gone.

The same words elsewhere without the same context are never a match: that is how a quote came
to count on a look-alike paragraph after its own was reworded.
"""

from dataclasses import dataclass
from difflib import SequenceMatcher
from enum import StrEnum

CONTEXT_CHARS = 32  # as much context as Hypothesis stores on each side
SIMILAR = 0.6  # difflib ratio from which an edited block is the same block
# Inside one replaced run, compare each new block with at most this many old ones, so that
# rewriting a 300-page reading stays linear rather than quadratic.
WINDOW = 40
# Reworded words must stay this close in length to the original to count as the same passage.
REWORDED_LENGTH = (1 / 3, 3)


def anchor(key):
    """The HTML id and URL fragment of block ``key``: ``p-17``."""
    return f"p-{key}"


def carry_keys(previous, texts, *, last_key):
    """Keys for the blocks of a new version.

    ``previous``: ``(key, text)`` of the blocks of the version before, in order (empty for a
    new reading); ``texts``: the plain texts of the new blocks, in order; ``last_key``: the
    highest key the reading has ever used. Returns ``(keys, last_key)``: one key per new
    block, and the new highest key. A block continuing an old one (same text in the same run,
    similar text in an edited run, or the same text moved) keeps its key; any other block gets
    a fresh key above every key ever used, so an old link never lands on new words.
    """
    old_keys = [key for key, _ in previous]
    old_texts = [text for _, text in previous]
    matched = [None] * len(texts)  # index into the old blocks, per new block
    matcher = SequenceMatcher(None, old_texts, list(texts), autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for offset in range(i2 - i1):
                matched[j1 + offset] = i1 + offset
        elif tag == "replace":
            _pair_edited(old_texts, range(i1, i2), texts, range(j1, j2), matched)
    _pair_moved(old_texts, texts, matched)
    keys = []
    for index in matched:
        if index is None:
            last_key += 1
            keys.append(last_key)
        else:
            keys.append(old_keys[index])
    return keys, last_key


def _pair_edited(old_texts, old_range, new_texts, new_range, matched):
    """Pair each new block of a replaced run with the most similar old block not yet passed,
    in order (an edit does not reorder what it keeps)."""
    low = old_range.start
    for j in new_range:
        best, best_ratio = None, SIMILAR
        for i in range(low, min(old_range.stop, low + WINDOW)):
            matcher = SequenceMatcher(None, old_texts[i], new_texts[j], autojunk=False)
            if matcher.real_quick_ratio() < best_ratio or matcher.quick_ratio() < best_ratio:
                continue
            ratio = matcher.ratio()
            if ratio >= best_ratio:
                best, best_ratio = i, ratio
        if best is not None:
            matched[j] = best
            low = best + 1


def _pair_moved(old_texts, new_texts, matched):
    """An unpaired new block whose text is exactly that of an unpaired old block is that
    block, moved."""
    used = {index for index in matched if index is not None}
    free = {}
    for i, text in enumerate(old_texts):
        if i not in used:
            free.setdefault(text, []).append(i)
    for j, text in enumerate(new_texts):
        if matched[j] is None and free.get(text):
            matched[j] = free[text].pop(0)


@dataclass(frozen=True)
class Passage:
    """Words of one block, as stored: ``block`` (key), the TextQuoteSelector's ``exact``,
    ``prefix`` and ``suffix``, and the TextPositionSelector's ``start`` and ``end`` (character
    offsets in the block's plain text, ``end`` exclusive)."""

    block: int
    exact: str
    prefix: str
    suffix: str
    start: int
    end: int

    def selectors(self):
        """The passage as W3C Web Annotation selectors (a list of alternatives, each the
        block's fragment refined by one text selector), for an annotation's ``target``."""
        fragment = {
            "type": "FragmentSelector",
            "conformsTo": "http://tools.ietf.org/rfc/rfc3986",
            "value": anchor(self.block),
        }
        return [
            {
                **fragment,
                "refinedBy": {
                    "type": "TextQuoteSelector",
                    "exact": self.exact,
                    "prefix": self.prefix,
                    "suffix": self.suffix,
                },
            },
            {
                **fragment,
                "refinedBy": {"type": "TextPositionSelector", "start": self.start, "end": self.end},
            },
        ]


def describe(block, text, exact, *, start=None):
    """The ``Passage`` for the words ``exact`` of block ``block`` whose plain text is ``text``;
    ``start`` picks one of several occurrences (the first at or after it; else the first).
    Returns None when the words are not in the block (or are empty)."""
    if not exact:
        return None
    index = -1
    if start is not None:
        index = text.find(exact, max(0, start))
    if index < 0:
        index = text.find(exact)
    if index < 0:
        return None
    end = index + len(exact)
    return Passage(
        block=block,
        exact=exact,
        prefix=text[max(0, index - CONTEXT_CHARS) : index],
        suffix=text[end : end + CONTEXT_CHARS],
        start=index,
        end=end,
    )


class Status(StrEnum):
    SAME = "same"
    MOVED = "moved"
    REWORDED = "reworded"
    CHANGED = "changed"
    REMOVED = "removed"


@dataclass(frozen=True)
class Location:
    """Where a passage is in a version. ``block`` is the key of the block it is in now (for
    ``CHANGED``, its old block, still there, to show the reader where it was; None for
    ``REMOVED``); ``start``/``end`` are offsets in that block's text, None unless found."""

    status: Status
    block: int | None = None
    start: int | None = None
    end: int | None = None

    @property
    def is_found(self):
        """Whether the passage's words (as they were, or reworded) are somewhere: what counts
        as "quoted" on a paragraph."""
        return self.status in {Status.SAME, Status.MOVED, Status.REWORDED}


def locate(passage, blocks):
    """Where ``passage`` is in a version whose blocks are ``blocks`` (a mapping of key to
    plain text). Returns a ``Location``; see the module docstring for the statuses."""
    text = blocks.get(passage.block)
    if text is not None:
        start = _in_block(passage, text)
        if start is not None:
            return Location(Status.SAME, passage.block, start, start + len(passage.exact))
    moved = _elsewhere(passage, blocks)
    if moved is not None:
        return Location(Status.MOVED, *moved)
    if text is None:
        return Location(Status.REMOVED)
    reworded = _reworded(passage, text)
    if reworded is not None:
        return Location(Status.REWORDED, passage.block, *reworded)
    return Location(Status.CHANGED, passage.block)


def _occurrences(text, words):
    index = text.find(words)
    while index >= 0:
        yield index
        index = text.find(words, index + 1)


def _in_block(passage, text):
    """The offset of the passage's words in their own block: at the stored position if they
    are still there, else the occurrence whose context matches best, nearest first."""
    exact = passage.exact
    if text[passage.start : passage.end] == exact and _context_score(passage, text, passage.start):
        return passage.start
    found = list(_occurrences(text, exact))
    if not found:
        return None
    return max(found, key=lambda i: (_context_score(passage, text, i), -abs(i - passage.start)))


def _context_score(passage, text, index):
    """How many of the two context sides (0-2) match around ``index``; a side cut short by
    the block's edge matches when the block's edge is there too."""
    before = text[max(0, index - len(passage.prefix)) : index]
    after = text[index + len(passage.exact) :][: len(passage.suffix)]
    return (before == passage.prefix) + (after == passage.suffix)


def _elsewhere(passage, blocks):
    """(key, start, end) of the one place outside the passage's block with its words and
    its whole context, or None (none, or more than one)."""
    whole = passage.prefix + passage.exact + passage.suffix
    found = []
    for key, text in blocks.items():
        if key == passage.block:
            continue
        for index in _occurrences(text, whole):
            start = index + len(passage.prefix)
            # Context cut short by a block edge must meet an edge again.
            if len(passage.prefix) < CONTEXT_CHARS and index != 0:
                continue
            end = start + len(passage.exact)
            if len(passage.suffix) < CONTEXT_CHARS and end + len(passage.suffix) != len(text):
                continue
            found.append((key, start, end))
            if len(found) > 1:
                return None
    return found[0] if found else None


def _reworded(passage, text):
    """(start, end) of the new words between the passage's unchanged context in its own
    block, when each side is found exactly once (or is the block's edge); else None."""
    start = _side(text, passage.prefix, before=True)
    end = _side(text, passage.suffix, before=False)
    if start is None or end is None or end <= start:
        return None
    low, high = REWORDED_LENGTH
    length = end - start
    if not low * len(passage.exact) <= length <= high * len(passage.exact):
        return None
    return start, end


def _side(text, context, *, before):
    """Where the new words begin (``before``: after the prefix) or end (before the suffix):
    the block's edge when the context was cut by it, the one occurrence of the context
    otherwise; None when it is not there exactly once."""
    if len(context) < CONTEXT_CHARS:
        # The context reached the block's edge: the passage started (or ended) the block.
        if not context:
            return 0 if before else len(text)
        if before and text.startswith(context):
            return len(context)
        if not before and text.endswith(context):
            return len(text) - len(context)
        return None
    found = list(_occurrences(text, context))
    if len(found) != 1:
        return None
    return found[0] + len(context) if before else found[0]
