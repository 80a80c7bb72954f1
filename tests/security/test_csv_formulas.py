"""No CSV the site writes can run as a spreadsheet formula, whatever form the formula takes.

Inputs tried, in a prompt title (the gradebook's column), a post (the posts export) and a
moderator's reason (the audit log's CSV): the ASCII starts "=", "+", "-", "@", tab and CR;
their full-width forms (U+FF1D, U+FF0B, U+FF0D, U+FF20) and small forms (U+FE62, U+FE63);
a formula behind a zero-width space, a byte-order mark, spaces or an ideographic space. Each
comes back with a leading quote, and a gradebook import reads the quote off again."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from destalin.csv_cells import neutralise, starts_formula
from discussions.grading.gradebook_csv import Column
from discussions.grading.gradebook_reading import read_scores
from discussions.moderation import services as moderation
from tests.factories import PromptFactory, make_post

pytestmark = pytest.mark.django_db

FORMULAS = [
    "=1+1", "+1+1", "-1+1", "@SUM(A1)", "\t=1", "\r=1",
    "\uff1d1+1", "\uff0bSUM(A1)", "\uff0d2+3", "\uff20SUM(A1)", "\ufe621+1", "\ufe632+3",
    "\u200b=1+1", "\ufeff=1+1", "  =1+1", "\u3000\uff1d1+1",
]  # fmt: skip
PLAIN = ["Ada", "1956", "Хрущёв", "'quoted", "a=b", "", "\u200bAda", "(=1)"]


@pytest.mark.parametrize("text", FORMULAS)
def test_every_form_of_a_formula_start_is_neutralised(text):
    assert starts_formula(text)
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("text", PLAIN)
def test_plain_text_is_left_alone(text):
    assert neutralise(text) == text


def _rows(response):
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body, newline="")))


@pytest.mark.parametrize("formula", ["\uff1d1+1", "\ufe621+1", "\u200b=1+1"])
def test_every_csv_export_neutralises_full_width_formulas(client_for, ada, cleo, course, formula):
    prompt = PromptFactory(course=course, title=f"{formula} week", points_possible=10)
    post = make_post(prompt, cleo, f"{formula} in a post.")
    moderation.hide_post(post=post, by=ada, reason=f"{formula} in a reason.")
    client = client_for(ada)

    gradebook = _rows(client.get(reverse("grading:gradebook-csv", args=[course.slug])))
    assert f"'{formula} week ({prompt.pk})" in gradebook[0]

    export = reverse(
        "grading:export", kwargs={"course": course.slug, "pk": prompt.pk, "fmt": "csv"}
    )
    posts = _rows(client.get(export))
    assert [f"'{formula} in a post."] == [cell for cell in posts[1] if "in a post" in cell]

    log = _rows(client.get(reverse("discussions:audit-log-csv", args=[course.slug])))
    reasons = [cell for row in log[1:] for cell in row if "in a reason" in cell]
    assert reasons == [f"'{formula} in a reason."]


@pytest.mark.parametrize("formula", ["\uff1dNotes", "\u200b=Notes", "=Notes"])
def test_a_gradebook_import_reads_the_quote_off_again(formula):
    week = Column(12, "Week 1", Decimal(10), False)
    text = f"ID,Student,'{formula} (12),'{formula}\r\n3,Ames,2,x\r\n"
    preview = read_scores(data=text.encode(), columns=[week], current={}, student_ids=[3])
    assert preview.errors == ()
    assert preview.ignored_columns == (formula,)
    assert preview.changes[0].new.score == 2
