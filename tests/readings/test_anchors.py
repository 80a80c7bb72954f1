"""Anchors that survive edits: block keys carried across versions, passages found again."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from readings.anchors import (
    CONTEXT_CHARS,
    Passage,
    Status,
    carry_keys,
    describe,
    locate,
)

TWELVE = (
    "At the Twentieth Congress in February 1956, Khrushchev spoke for four hours about the "
    "crimes of Stalin, and the delegates listened in silence."
)
EIGHT = (
    "Historians still argue whether the crimes of Stalin could be named without naming the "
    "system that made them possible."
)


def _version(*texts, first=1):
    return {key: text for key, text in enumerate(texts, start=first)}


def test_a_new_reading_numbers_its_blocks_from_one():
    assert carry_keys([], ["a", "b", "c"], last_key=0) == ([1, 2, 3], 3)


def test_inserting_a_block_keeps_every_other_key():
    before = [(1, "First."), (2, "Second."), (3, "Third.")]
    keys, last = carry_keys(before, ["First.", "Inserted.", "Second.", "Third."], last_key=3)
    assert keys == [1, 4, 2, 3]
    assert last == 4


def test_an_edited_block_keeps_its_key_and_a_rewritten_one_does_not():
    before = [(1, TWELVE), (2, "A short line about the thaw.")]
    edited = TWELVE.replace("four hours", "nearly four hours")
    keys, _ = carry_keys(before, [edited, "Something else entirely, unrelated."], last_key=2)
    assert keys == [1, 3]


def test_a_moved_block_keeps_its_key():
    before = [(1, "Alpha paragraph."), (2, "Beta paragraph."), (3, "Gamma paragraph.")]
    keys, _ = carry_keys(
        before, ["Beta paragraph.", "Gamma paragraph.", "Alpha paragraph."], last_key=3
    )
    assert sorted(keys) == [1, 2, 3]
    assert keys[2] == 1


def test_a_removed_key_is_never_given_again():
    before = [(1, "One."), (2, "Two."), (3, "Three.")]
    keys, last = carry_keys(before, ["One.", "Three."], last_key=3)
    assert keys == [1, 3]
    kept = [(1, "One."), (3, "Three.")]
    keys, last = carry_keys(kept, ["One.", "New two."], last_key=last)
    assert keys == [1, 4]
    assert last == 4


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.lists(st.text(min_size=1, max_size=30), max_size=25))
def test_keys_are_unique_and_unchanged_text_keeps_them(texts):
    keys, last = carry_keys([], texts, last_key=0)
    again, last_again = carry_keys(list(zip(keys, texts, strict=True)), texts, last_key=last)
    assert again == keys
    assert last_again == last
    assert len(set(keys)) == len(keys)


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(
    st.lists(st.text(min_size=1, max_size=20), max_size=15),
    st.lists(st.text(min_size=1, max_size=20), max_size=15),
)
def test_any_edit_gives_unique_keys_and_fresh_keys_above_the_old(old, new):
    keys, last = carry_keys([], old, last_key=0)
    carried, new_last = carry_keys(list(zip(keys, old, strict=True)), new, last_key=last)
    assert len(set(carried)) == len(carried)
    assert all(key in keys or key > last for key in carried)
    assert new_last == max([last, *carried])


def test_describe_records_quote_context_and_position():
    passage = describe(12, TWELVE, "the crimes of Stalin")
    assert passage.exact == "the crimes of Stalin"
    assert TWELVE[passage.start : passage.end] == "the crimes of Stalin"
    assert passage.prefix == TWELVE[passage.start - CONTEXT_CHARS : passage.start]
    assert passage.suffix == ", and the delegates listened in "
    assert describe(12, TWELVE, "words never written") is None
    assert describe(12, TWELVE, "") is None


def test_describe_picks_the_occurrence_at_the_given_start():
    text = "the word, then the word again"
    assert describe(1, text, "the word", start=5).start == 15
    assert describe(1, text, "the word").start == 0


def test_the_selectors_follow_the_web_annotation_model():
    passage = describe(12, TWELVE, "the crimes of Stalin")
    quote, position = passage.selectors()
    assert quote["type"] == position["type"] == "FragmentSelector"
    assert quote["value"] == "p-12"
    assert quote["refinedBy"] == {
        "type": "TextQuoteSelector",
        "exact": "the crimes of Stalin",
        "prefix": passage.prefix,
        "suffix": passage.suffix,
    }
    assert position["refinedBy"] == {
        "type": "TextPositionSelector",
        "start": passage.start,
        "end": passage.end,
    }


def test_unchanged_words_are_found_where_they_were():
    passage = describe(12, TWELVE, "the crimes of Stalin")
    found = locate(passage, _version(EIGHT, TWELVE, first=11))
    assert (found.status, found.block, found.start) == (Status.SAME, 12, passage.start)
    assert found.is_found


def test_words_shifted_inside_their_block_are_found_there():
    passage = describe(12, TWELVE, "the crimes of Stalin")
    edited = "In Moscow, " + TWELVE
    found = locate(passage, {8: EIGHT, 12: edited})
    assert found.status == Status.SAME
    assert edited[found.start : found.end] == "the crimes of Stalin"


def test_a_repeated_phrase_in_the_block_is_told_apart_by_its_context():
    text = "The thaw began in 1953. Some say the thaw ended in 1964, with Khrushchev's fall."
    passage = describe(3, text, "the thaw", start=30)
    found = locate(passage, {3: "Briefly: " + text})
    assert found.status == Status.SAME
    assert found.start == len("Briefly: ") + passage.start


def test_reworded_quote_never_lands_on_a_look_alike_paragraph():
    """The issue's case: the quoted words of ¶ 12 were reworded, and ¶ 8 uses the same words
    elsewhere. The quote says "changed"; it does not move to ¶ 8."""
    passage = describe(12, TWELVE, "the crimes of Stalin")
    reworded = (
        "Khrushchev's closed session speech of 1956 condemned the cult of personality at length, "
        "and nobody in the hall said a word."
    )
    found = locate(passage, {8: EIGHT, 12: reworded})
    assert "the crimes of Stalin" in EIGHT
    assert found.status == Status.CHANGED
    assert found.block == 12
    assert found.start is None
    assert not found.is_found


def test_reworded_words_between_unchanged_context_re_anchor_in_their_block():
    passage = describe(12, TWELVE, "the crimes of Stalin")
    reworded = TWELVE.replace("the crimes of Stalin", "Stalin's crimes")
    found = locate(passage, {8: EIGHT, 12: reworded})
    assert found.status == Status.REWORDED
    assert (found.block, reworded[found.start : found.end]) == (12, "Stalin's crimes")
    assert found.is_found


def test_a_reworded_quote_at_the_start_of_its_block_uses_the_edge_as_context():
    text = "Destalinization began in 1953. It did not end with Khrushchev."
    passage = describe(5, text, "Destalinization began in 1953.")
    found = locate(passage, {5: "De-Stalinisation began in 1953. It did not end with Khrushchev."})
    assert found.status == Status.REWORDED
    assert found.start == 0


def test_ambiguous_context_says_changed():
    text = "x" * 40 + " one phrase " + "y" * 40
    passage = describe(1, text, "one phrase")
    doubled = "x" * 40 + " other " + "y" * 40 + " " + "x" * 40 + " again " + "y" * 40
    assert locate(passage, {1: doubled}).status == Status.CHANGED


def test_words_moved_to_another_block_with_their_context_are_found_there():
    passage = describe(12, TWELVE, "the crimes of Stalin")
    found = locate(passage, {8: EIGHT, 40: TWELVE})
    assert (found.status, found.block) == (Status.MOVED, 40)
    assert TWELVE[found.start : found.end] == "the crimes of Stalin"


def test_words_moved_to_two_places_are_not_guessed():
    passage = describe(12, TWELVE, "the crimes of Stalin")
    assert locate(passage, {40: TWELVE, 41: TWELVE}).status == Status.REMOVED


def test_the_same_words_in_another_context_do_not_count_as_moved():
    passage = describe(12, TWELVE, "the crimes of Stalin")
    found = locate(passage, {8: EIGHT})
    assert found.status == Status.REMOVED
    assert found.block is None
    assert not found.is_found


def test_a_whole_paragraph_quote_moves_only_to_a_whole_equal_paragraph():
    passage = describe(2, "Rehabilitations", "Rehabilitations")
    assert locate(passage, {7: "Rehabilitations"}).status == Status.MOVED
    assert locate(passage, {7: "Rehabilitations of 1956"}).status == Status.REMOVED


def test_a_stored_passage_round_trips_through_its_fields():
    passage = describe(12, TWELVE, "the crimes of Stalin")
    stored = Passage(**{f: getattr(passage, f) for f in passage.__dataclass_fields__})
    assert locate(stored, {12: TWELVE}).status == Status.SAME
