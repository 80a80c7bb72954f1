"""Small helpers the grading tests share."""

from django.urls import reverse


def grader_url(prompt, student=None):
    kwargs = {"course": prompt.course.slug, "pk": prompt.pk}
    if student is None:
        return reverse("grading:grader", kwargs=kwargs)
    return reverse("grading:grade-student", kwargs={**kwargs, "student": student.pk})


def grade_form(score="8", status="graded", feedback="Good work.", version=0, **extra):
    return {"status": status, "score": score, "feedback": feedback, "version": version, **extra}
