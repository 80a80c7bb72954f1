"""Who may do what in a discussion. Roles as in ``destalin.permissions``.

===================================  ==========================  ===  ==========  =====
action                               student                     TA   instructor  staff
===================================  ==========================  ===  ==========  =====
see drafts; create, edit, publish,   no                          yes  yes         yes
reorder prompts; grant extensions
turn a prompt's holding of posts on  no                          (1)  yes         yes
or off
respond and reply                    while open (opens..cut-off  yes  yes         yes
                                     or their extension)
edit their own post                  until the cut-off, unless   yes  yes         yes
                                     the prompt or thread is
                                     locked
delete their own post                until the cut-off, if no    yes  yes         yes
                                     replies and no grade, unless
                                     the prompt or thread is
                                     locked
restore a deleted post, see history  no                          yes  yes         yes
moderate: hide, delete or edit any   no                          yes  yes         yes
post, lock, pin, endorse, approve
held posts, review flags
read the audit log, set the course's no                          no   yes         yes
word list and holding of posts
restore a post deleted by a          no                          yes  yes         yes
moderator                            (within 30 days)
flag a post                          others' posts they can read yes  yes         yes
post in a locked prompt or thread    no                          yes  yes         yes
===================================  ==========================  ===  ==========  =====

Nobody posts, edits, deletes or restores in an archived course, and nobody posts in an
unpublished prompt (teachers preview drafts only).

(1) if the course lets TAs set it (``Course.tas_may_hold_posts``, on unless the instructor
turns it off, as Canvas lets TAs moderate discussions by default).
"""

from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from destalin import times
from destalin.models import Role
from destalin.permissions import MANAGING_ROLES, TEACHING_ROLES


def can_manage_prompts(role):
    return role in TEACHING_ROLES


def can_set_hold(role, course):
    """Whether the person may turn a prompt's "hold new posts for review" on or off."""
    return role in MANAGING_ROLES or (role == Role.TA and course.tas_may_hold_posts)


def closing_of(prompt, participation):
    """The moment posting closes for this person: their extension's, else the prompt's."""
    if participation is not None and participation.extended_cutoff_at is not None:
        return participation.extended_cutoff_at
    return prompt.cutoff_at


def due_of(prompt, participation):
    if participation is not None and participation.extended_due_at is not None:
        return participation.extended_due_at
    return prompt.due_at


RESTORE_WINDOW = timedelta(days=30)


def can_moderate(role):
    return role in TEACHING_ROLES


def why_thread_is_locked(role, *, is_locked):
    """None if the person may reply in this thread, else the reason."""
    if is_locked and role not in TEACHING_ROLES:
        return "This thread is locked: it takes no new replies."
    return None


def why_posting_is_closed(role, prompt, now, participation=None):
    """None if the person may post in the prompt now, else the reason, for the person."""
    if prompt.course.is_archived:
        return "This course is archived; its discussions are read-only."
    if not prompt.is_published:
        return "This prompt is a draft. Publish it before anyone posts."
    if role in TEACHING_ROLES:
        return None
    if role is None:
        return "Only members of the course can post."
    if prompt.locked_at is not None:
        return "This discussion is locked: it takes no new posts."
    if not prompt.is_open_at(now):
        opens = times.show(prompt.opens_at, "deadline", course=prompt.course)
        return f"This discussion opens {opens}."
    closes = closing_of(prompt, participation)
    if closes is not None and now >= closes:
        return "This discussion is closed: the cut-off has passed."
    return None


def _still_writable(role, prompt, now, participation, is_locked):
    """Whether a person's posts in the prompt may still change: never in an archived course;
    for students, until their cut-off and while neither the prompt nor the post's thread
    (``is_locked``) is locked, since a lock freezes students' text as it stands."""
    if prompt.course.is_archived:
        return False
    if role in TEACHING_ROLES:
        return True
    if is_locked or prompt.locked_at is not None:
        return False
    closes = closing_of(prompt, participation)
    return closes is None or now < closes


def can_edit_post(user, role, post, now, participation=None, *, is_locked):
    """``is_locked``: whether the post's thread is locked (see ``selectors.is_thread_locked``)."""
    if post.is_deleted:
        return False
    if post.author_id != user.pk:
        return can_moderate(role) and not post.prompt.course.is_archived
    return _still_writable(role, post.prompt, now, participation, is_locked)


def can_delete_post(
    user, role, post, now, participation=None, *, has_replies, is_graded, is_locked
):
    if post.is_deleted:
        return False
    if can_moderate(role):
        return not post.prompt.course.is_archived
    return (
        post.author_id == user.pk
        and not has_replies
        and not is_graded
        and _still_writable(role, post.prompt, now, participation, is_locked)
    )


def can_restore_post(role, post, now=None):
    """Teachers restore deleted posts, for 30 days after the deletion (restoring a post that
    is not deleted changes nothing)."""
    now = now or timezone.now()
    return (
        role in TEACHING_ROLES
        and not post.prompt.course.is_archived
        and (post.deleted_at is None or now - post.deleted_at <= RESTORE_WINDOW)
    )


def can_flag_post(user, role, post):
    return role is not None and post.author_id != user.pk and not post.is_deleted


def can_see_history(role):
    return role in TEACHING_ROLES


def why_not_responding_here(prompt):
    """Why the thread page takes no new response (None if it does): a margin's notes are
    written on its reading, each on the words it is about; replies to them are welcome."""
    if prompt.is_annotation:
        return "Notes are written on the reading: pick a paragraph there, then the words."
    return None


def check_manage_prompts(role):
    if not can_manage_prompts(role):
        raise PermissionDenied("Only the course's instructors and TAs can manage prompts.")


def check_edit_post(user, role, post, now, participation=None, *, is_locked):
    if not can_edit_post(user, role, post, now, participation, is_locked=is_locked):
        raise PermissionDenied(
            "You can edit only your own posts, only until the discussion closes, and not "
            "while the discussion or the thread is locked."
        )


def check_delete_post(
    user, role, post, now, participation=None, *, has_replies, is_graded, is_locked
):
    if not can_delete_post(
        user,
        role,
        post,
        now,
        participation,
        has_replies=has_replies,
        is_graded=is_graded,
        is_locked=is_locked,
    ):
        raise PermissionDenied(
            "You can delete only your own posts, until the discussion closes, not once they "
            "have replies or a grade, and not while the discussion or the thread is locked."
        )


def check_restore_post(role, post):
    if not can_restore_post(role, post):
        raise PermissionDenied(
            "Only the course's instructors and TAs can restore posts, within 30 days of the "
            "deletion."
        )


def check_course_open(course):
    if course.is_archived:
        raise PermissionDenied("This course is archived; its discussions are read-only.")


def check_moderate(role):
    if not can_moderate(role):
        raise PermissionDenied("Only the course's instructors and TAs can moderate.")


def check_flag_post(user, role, post):
    if not can_flag_post(user, role, post):
        raise PermissionDenied("You can flag other people's posts, not your own.")


def check_see_history(role):
    if not can_see_history(role):
        raise PermissionDenied("Only the course's instructors and TAs can see earlier versions.")
