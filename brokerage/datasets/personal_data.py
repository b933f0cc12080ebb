"""Everything the service holds about one person, as they may download it (UK GDPR's right
of access): their account, memberships, volunteer records with skills, bookings, hours,
leave, feedback they gave, messages they wrote on matches, notifications and the
administrative acts they did.

Organisation data (listings, matches) is not theirs and is left out; where a row about them
names a match, the match is named by id and title so the download makes sense on its own.
"""

from typing import Any

from django.utils import timezone

from brokerage.models import (
    Assignment,
    AuditEntry,
    Feedback,
    LeaveEntry,
    MatchMessage,
    Membership,
    Notification,
    TimeEntry,
    User,
    Volunteer,
)


def personal_data(user: User) -> dict[str, Any]:
    volunteers = list(
        Volunteer.objects.filter(user=user)
        .select_related("organisation")
        .prefetch_related("skills")
        .order_by("id")
    )
    return {
        "generated_at": timezone.now(),
        "account": {
            "username": user.username,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email": user.email,
            "date_joined": user.date_joined,
            "last_login": user.last_login,
        },
        "memberships": [
            {"organisation": m.organisation.name, "role": m.role, "since": m.created_at}
            for m in Membership.objects.filter(user=user).select_related("organisation")
        ],
        "volunteer_records": [
            {
                "organisation": v.organisation.name,
                "active": v.is_active,
                "joined_at": v.joined_at,
                "skills": sorted(skill.name for skill in v.skills.all()),
                "dbs_check": {
                    "level": v.dbs_level,
                    "barred_lists": v.dbs_barred_lists,
                    "issued_on": v.dbs_issued_on,
                    "update_service": v.dbs_update_service,
                }
                if v.dbs_level
                else None,
            }
            for v in volunteers
        ],
        "bookings": [
            {
                "match": a.match_id,
                "need": a.match.need.title,
                "first_day": a.first_day,
                "last_day": a.last_day,
                "days": a.days,
                "leave_type": a.leave_type,
                "status": a.status,
            }
            for a in Assignment.objects.filter(volunteer__in=volunteers)
            .select_related("match__need")
            .order_by("first_day", "id")
        ],
        "hours": [
            {
                "match": t.match_id,
                "date": t.date,
                "hours": t.hours,
                "leave_type": t.leave_type,
                "what_was_done": t.description,
                "status": t.status,
                "query_note": t.query_note,
            }
            for t in TimeEntry.objects.filter(volunteer__in=volunteers).order_by("date", "id")
        ],
        "leave": [
            {
                "organisation": e.balance.volunteer.organisation.name,
                "year_start": e.balance.year_start,
                "leave_type": e.balance.leave_type,
                "kind": e.kind,
                "allowance_change": e.allowance_delta,
                "booked_change": e.booked_delta,
                "used_change": e.used_delta,
                "at": e.at,
            }
            for e in LeaveEntry.objects.filter(balance__volunteer__in=volunteers)
            .select_related("balance__volunteer__organisation")
            .order_by("at", "id")
        ],
        "feedback_given": [
            {
                "match": f.match_id,
                "rating": f.rating,
                "outcomes": f.outcomes,
                "story": f.story,
                "consent_to_publish": f.consent_to_publish,
            }
            for f in Feedback.objects.filter(given_by=user).order_by("id")
        ],
        "messages_written": [
            {"match": m.match_id, "need": m.match.need.title, "at": m.at, "text": m.text}
            for m in MatchMessage.objects.filter(author=user)
            .select_related("match__need")
            .order_by("at", "id")
        ],
        "notifications": [
            {"kind": n.kind, "text": n.text, "created_at": n.created_at, "read_at": n.read_at}
            for n in Notification.objects.filter(recipient=user).order_by("id")
        ],
        "administrative_acts": [
            {
                "at": a.at,
                "action": a.action,
                "organisation": a.organisation_id,
                "changes": a.changes,
            }
            for a in AuditEntry.objects.filter(actor=user).order_by("at", "id")
        ],
    }
