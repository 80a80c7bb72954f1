"""LIS roles of an LTI launch, as a role in the launched course.

Only context (membership) roles count: a platform's institution or system roles, the
administrator's included, say nothing about this course (Canvas sends a teacher's
institution roles even where they study), so they never make anyone a teacher here. A TA
role wins over the Instructor role it sub-types (Canvas sends both for a TA). Roles come as
full URIs (``http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor``), as sub-roles
(``.../membership/Instructor#TeachingAssistant``) or, deprecated but still sent by some
platforms, as bare names (``Instructor``): LTI 1.3 Core, appendix A.2.
"""

from destalin.models import Role

LIS_PREFIX = "http://purl.imsglobal.org/vocab/lis/v2/"

# Context role names (and sub-roles, as "Role#SubRole") to the role they give here.
_TA = {
    "Instructor#TeachingAssistant",
    "Instructor#TeachingAssistantSection",
    "Instructor#TeachingAssistantOffering",
    "Instructor#TeachingAssistantGroup",
    "Instructor#TeachingAssistantSectionAssociation",
    "Instructor#TeachingAssistantTemplate",
    "TeachingAssistant",
}
_INSTRUCTOR = {
    "Instructor",
    "Instructor#PrimaryInstructor",
    "Instructor#Lecturer",
    "Administrator",
    "ContentDeveloper",
}
_STUDENT = {"Learner", "Learner#Learner", "Student"}


def context_role_names(roles):
    """The context role names in a roles claim: ``membership#Instructor`` gives
    ``Instructor``, ``membership/Instructor#TeachingAssistant`` gives
    ``Instructor#TeachingAssistant``; bare names pass; system and institution roles drop."""
    names = set()
    for role in roles or ():
        if not isinstance(role, str):
            continue
        if role.startswith(LIS_PREFIX):
            rest = role[len(LIS_PREFIX) :]
            if rest.startswith("membership#"):
                names.add(rest.removeprefix("membership#"))
            elif rest.startswith("membership/"):
                names.add(rest.removeprefix("membership/"))
        elif "/" not in role and ":" not in role:
            names.add(role)
    return names


def course_role(roles):
    """The role the launch gives in its course, or None when it gives none (an observer,
    a mentor, or only platform-wide roles)."""
    names = context_role_names(roles)
    if names & _TA:
        return Role.TA
    if names & _INSTRUCTOR:
        return Role.INSTRUCTOR
    if names & _STUDENT:
        return Role.STUDENT
    return None
