"""Writes that follow an LTI launch or a roster sync: the platform's person as a user, its
course as a course, their role as a membership. Each service is one transaction.

Rules (LTI 1.3 Core 5.3 user claims, 5.4 context claim, A.2 roles; NRPS 2.0): a person is
``iss`` + ``sub``, never an email; an email links to an existing account only when that
account verified it and the platform is trusted to vouch for addresses; a course is created
only by an instructor's launch; a role applies only in the launch's own context.
"""

import hashlib

from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils import timezone

from destalin.lti.models import LtiContext, LtiLink, LtiUser, PlatformPolicy
from destalin.lti.roles import course_role
from destalin.models import Course, Membership, Role, User, normalize_display_name
from destalin.services import unique_slug

CLAIM = "https://purl.imsglobal.org/spec/lti/claim/"
AGS_CLAIM = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"
NRPS_CLAIM = "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice"


class LaunchRefused(Exception):
    """A checked launch that gives no access here; ``message`` is for the person."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def _placeholder_email(tool, sub):
    # `.invalid` can never deliver (RFC 2606): a person the platform sent no usable address
    # for still gets an account, and no mail goes astray.
    digest = hashlib.sha256(f"{tool.issuer}\n{tool.client_id}\n{sub}".encode()).hexdigest()
    return f"lti-{digest[:24]}@lti.invalid"


def _name(body):
    name = body.get("name") or " ".join(
        part for part in (body.get("given_name"), body.get("family_name")) if part
    )
    return normalize_display_name(str(name or ""))[:80] or "Participant"


def _linkable_user(tool, email):
    policy = PlatformPolicy.objects.filter(tool=tool).first()
    if not email or policy is None or not policy.link_verified_emails:
        return None
    address = EmailAddress.objects.filter(email__iexact=email, verified=True).first()
    return address.user if address else None


def user_for(tool, body):
    """The user this launch's person is: found by ``sub``, linked by verified email when the
    platform is trusted for it, or created with the name and email the platform sends."""
    sub = str(body.get("sub") or "")
    if not sub:
        raise LaunchRefused("The learning platform did not say who you are (no user id).")
    identity = LtiUser.objects.select_related("user").filter(tool=tool, sub=sub).first()
    if identity is not None:
        return identity.user
    email = str(body.get("email") or "").strip().lower()
    user = _linkable_user(tool, email)
    if user is None:
        taken = not email or User.objects.filter(email__iexact=email).exists()
        user = User.objects.create_user(
            email=_placeholder_email(tool, sub) if taken else email,
            display_name=_name(body),
        )
        user.set_unusable_password()
        user.save(update_fields=["password"])
        if not taken:
            # The platform vouches for the address only as far as the person used it there;
            # it stays unverified here, so it can never link another account later.
            EmailAddress.objects.create(user=user, email=email, primary=True, verified=False)
    LtiUser.objects.create(tool=tool, sub=sub, user=user)
    return user


def _service_urls(body):
    ags = body.get(AGS_CLAIM) or {}
    nrps = body.get(NRPS_CLAIM) or {}
    return {
        "lineitems_url": str(ags.get("lineitems") or ""),
        "ags_scopes": [s for s in ags.get("scope") or [] if isinstance(s, str)],
        "memberships_url": str(nrps.get("context_memberships_url") or ""),
    }


def context_for(tool, body, role):
    """The course of this launch's context: found, or created when an instructor launches
    first (students are told to wait for them)."""
    claim = body.get(CLAIM + "context") or {}
    context_id = str(claim.get("id") or "")
    if not context_id:
        raise LaunchRefused(
            "This link was not placed in a course of your learning platform, so Destalin "
            "cannot tell which course to open."
        )
    title = str(claim.get("title") or claim.get("label") or "Course")[:200]
    label = str(claim.get("label") or title)[:30]
    services = _service_urls(body)
    context = LtiContext.objects.select_for_update().filter(tool=tool, context_id=context_id)
    context = context.select_related("course").first()
    if context is None:
        if role != Role.INSTRUCTOR:
            raise LaunchRefused(
                "This course is not set up in Destalin yet. Your instructor sets it up by "
                "opening the link once; try again after that."
            )
        course = Course.objects.create(
            title=title, code=label, term="", slug=unique_slug(label or title)
        )
        context = LtiContext.objects.create(
            tool=tool,
            deployment_id=str(body.get(CLAIM + "deployment_id") or ""),
            context_id=context_id,
            course=course,
            title=title,
            label=label,
            **services,
        )
    else:
        changed = {k: v for k, v in services.items() if v and getattr(context, k) != v}
        for field, value in changed.items():
            setattr(context, field, value)
        if changed:
            context.save(update_fields=list(changed))
    return context


def _enrol(course, user, role, now):
    membership = Membership.objects.select_for_update().filter(course=course, user=user).first()
    if membership is None:
        return Membership.objects.create(course=course, user=user, role=role, joined_at=now)
    if membership.role != role or membership.removed_at is not None:
        membership.role, membership.removed_at = role, None
        membership.save(update_fields=["role", "removed_at"])
    return membership


def link_for(context, body):
    """The placed link this launch came through, recorded with its line item and the
    prompt its custom parameters name when that prompt belongs to the context's course."""
    claim = body.get(CLAIM + "resource_link") or {}
    link_id = str(claim.get("id") or "")
    if not link_id:
        return None
    custom = body.get(CLAIM + "custom") or {}
    ags = body.get(AGS_CLAIM) or {}
    prompt_id = str(custom.get("destalin_prompt") or "")
    prompt = None
    if prompt_id.isdigit():
        prompt = context.course.prompts.filter(pk=int(prompt_id)).first()
    link, _ = LtiLink.objects.get_or_create(context=context, resource_link_id=link_id)
    values = {
        "title": str(claim.get("title") or "")[:255],
        "lineitem_url": str(ags.get("lineitem") or link.lineitem_url),
        "prompt": prompt or link.prompt,
    }
    changed = [field for field, value in values.items() if getattr(link, field) != value]
    for field in changed:
        setattr(link, field, values[field])
    if changed:
        link.save(update_fields=changed)
    return link


@transaction.atomic
def enter_launch(*, tool, body, now=None):
    """Record a checked launch: the user, the course and the membership it gives.

    Returns ``(user, context, link)``; ``link`` is None for a deep-linking request. Raises
    LaunchRefused (nothing saved) when the launch gives no access.
    """
    now = now or timezone.now()
    role = course_role(body.get(CLAIM + "roles"))
    if role is None:
        raise LaunchRefused(
            "Your role in this course of the learning platform gives no access to Destalin "
            "(only instructors, teaching assistants and students have one)."
        )
    user = user_for(tool, body)
    if not user.is_active:
        raise LaunchRefused("This account is suspended. Ask the site's administrators.")
    context = context_for(tool, body, role)
    _enrol(context.course, user, role, now)
    return user, context, link_for(context, body)


@transaction.atomic
def apply_roster(*, context, members, now=None):
    """Make the course's roster what the platform's (NRPS) says: new members join with their
    roles, changed roles change, and those no longer listed as active are removed with their
    work kept. ``members`` are NRPS member objects (``user_id``, ``roles``, ``status``,
    ``name``, ``email``). Returns ``(joined, changed, removed)`` counts.
    """
    now = now or timezone.now()
    tool = context.tool
    listed = {}
    for member in members:
        role = course_role(member.get("roles"))
        if member.get("status", "Active") != "Active" or role is None:
            continue
        user = user_for(tool, {"sub": member.get("user_id"), **member})
        listed[user.pk] = role
    current = {
        m.user_id: m for m in Membership.objects.select_for_update().filter(course=context.course)
    }
    joined = changed = removed = 0
    for user_id, role in listed.items():
        membership = current.get(user_id)
        if membership is None:
            Membership.objects.create(course=context.course, user_id=user_id, role=role)
            joined += 1
        elif membership.role != role or membership.removed_at is not None:
            membership.role, membership.removed_at = role, None
            membership.save(update_fields=["role", "removed_at"])
            changed += 1
    linked = set(
        LtiUser.objects.filter(tool=tool, user_id__in=current).values_list("user_id", flat=True)
    )
    for user_id, membership in current.items():
        # Only people the platform brought are its to remove; an account added here by hand
        # (a guest lecturer, say) stays.
        if user_id in listed or user_id not in linked or membership.removed_at is not None:
            continue
        membership.removed_at = now
        membership.save(update_fields=["removed_at"])
        removed += 1
    context.roster_synced_at = now
    context.save(update_fields=["roster_synced_at"])
    return joined, changed, removed
