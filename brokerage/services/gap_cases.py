"""Gap casework: unmet needs become cases brokers own and work.

The engine's findings open cases (`open_cases`, run by the worker after a need is published
and by a sweep every 15 minutes): one per need and reason, told to every broker when it
opens. The sweep also closes, with a note, active cases whose need is no longer unmet (an
offer now fits, or the need was matched, closed or expired). Brokers take a case, hand it
to another broker, move its status and add notes; each change is a note in its history.
"""

from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils import timezone
from huey.contrib.djhuey import db_task

from brokerage import access, matchmaking, response_times
from brokerage.errors import InvalidInput, InvalidTransition
from brokerage.messaging import outbox
from brokerage.models import GapCase, GapNote, ListingStatus, Notification, User
from brokerage.services._common import require_broker
from matching import gaps as engine

_REASON = {
    engine.SKILL: GapCase.Reason.SKILL,
    engine.SPLIT: GapCase.Reason.SPLIT,
    engine.PLACE: GapCase.Reason.PLACE,
    engine.DATES: GapCase.Reason.DATES,
    engine.FIT: GapCase.Reason.FIT,
}
Status = GapCase.Status


def _detail(gap: engine.Gap) -> dict:
    return {
        "missing_skills": list(gap.missing_skills),
        "holders": {str(skill): list(offers) for skill, offers in gap.holders},
    }


@db_task(retries=2, retry_delay=30)
def open_cases_later(need_id: int) -> int:
    """The worker's job for one just-published need (it scores the market, so publishing does
    not wait for it); if it cannot be queued, the gap sweep opens the case within 15 minutes."""
    return len(open_cases([need_id]))


def open_cases(need_ids: Iterable[int] | None = None) -> list[GapCase]:
    """Open a case for each (need, reason) the engine finds unmet now and has none yet, or
    reopen one that was resolved; `need_ids` narrows to some needs. Returns those opened."""
    wanted = None if need_ids is None else set(need_ids)
    found = matchmaking.find_unmet()
    return _open_all([gap for gap in found if wanted is None or gap.need_id in wanted])


def _open_all(found: list[engine.Gap]) -> list[GapCase]:
    opened = [_open(gap, _REASON[reason]) for gap in found for reason in gap.reasons]
    return [case for case in opened if case is not None]


@transaction.atomic
def _open(gap: engine.Gap, reason: str) -> GapCase | None:
    case = GapCase.objects.select_for_update().filter(need_id=gap.need_id, reason=reason).first()
    if case is not None and case.status != Status.RESOLVED:
        return None  # being worked, or a broker decided it cannot be met
    if case is None:
        try:
            with transaction.atomic():
                case = GapCase.objects.create(
                    need_id=gap.need_id, reason=reason, detail=_detail(gap)
                )
        except IntegrityError:  # another worker opened it first
            return None
        GapNote.objects.create(case=case, text=f"Opened: {case.get_reason_display().lower()}.")
    else:
        case.status, case.closed_at, case.detail = Status.OPEN, None, _detail(gap)
        case.opened_at = timezone.now()  # opened again: its answer-by counts from now
        case.save(update_fields=["status", "closed_at", "detail", "opened_at", "updated_at"])
        GapNote.objects.create(case=case, text="Reopened: the need is unmet again.")
    case = GapCase.objects.select_related("need__organisation", "need__ward").get(pk=case.pk)
    outbox.notify(
        recipients=outbox.brokers(case),
        kind=Notification.Kind.GAP_OPENED,
        text=(
            f"Unmet: '{case.need}' ({case.need.organisation}, {case.need.ward}): "
            f"{case.get_reason_display().lower()}. A broker should take it by "
            f"{response_times.when(response_times.answer_by(case.opened_at))}."
        ),
        subject=case,
    )
    return case


def sweep() -> tuple[int, int]:
    """Open cases for every current gap and close the active ones whose need is no longer
    unmet. Returns (opened, closed)."""
    found = matchmaking.find_unmet()
    opened = _open_all(found)
    unmet = {(gap.need_id, _REASON[r]) for gap in found for r in gap.reasons}
    closed = 0
    for case in GapCase.objects.filter(status__in=GapCase.ACTIVE).select_related("need"):
        if (case.need_id, case.reason) in unmet:
            continue
        why = (
            "an offer now fits"
            if case.need.status == ListingStatus.OPEN
            else f"the need is {case.need.get_status_display().lower()}"
        )
        with transaction.atomic():
            locked = GapCase.objects.select_for_update().get(pk=case.pk)
            if locked.status in GapCase.ACTIVE:
                _move(locked, Status.RESOLVED, by=None, note=f"Resolved by the service: {why}.")
                closed += 1
    return len(opened), closed


def _move(case: GapCase, status: str, *, by: User | None, note: str) -> None:
    case.status = status
    case.closed_at = None if status in GapCase.ACTIVE else timezone.now()
    case.save(update_fields=["status", "closed_at", "updated_at"])
    GapNote.objects.create(case=case, author=by, text=note)


def _lock(case: GapCase) -> GapCase:
    return GapCase.objects.select_for_update(of=("self",)).select_related("owner").get(pk=case.pk)


@transaction.atomic
def assign(*, case: GapCase, owner: User | None, by: User) -> GapCase:
    """Take a case (owner: yourself), hand it to another broker, or let it go (None). An open
    case that gets an owner is in progress: someone is working it."""
    require_broker(by, "work on unmet needs", case)
    if owner is not None and not access.is_broker(owner, case):
        raise InvalidInput(
            "Cases go to brokers of the need's area.",
            fields={"owner": ["Not a broker of this area."]},
        )
    case = _lock(case)
    if case.owner == owner:
        raise InvalidTransition("The case already has that owner.")
    case.owner = owner
    case.save(update_fields=["owner", "updated_at"])
    who = "nobody" if owner is None else (owner.get_full_name() or owner.username)
    GapNote.objects.create(case=case, author=by, text=f"Owner: {who}.")
    if owner is not None and case.status == Status.OPEN:
        _move(case, Status.IN_PROGRESS, by=by, note="Status: in progress.")
    return case


@transaction.atomic
def set_status(*, case: GapCase, status: str, by: User, note: str = "") -> GapCase:
    """Move a case along (open, in progress, resolved, cannot be met); closing one says why."""
    require_broker(by, "work on unmet needs", case)
    if status not in Status.values:
        raise InvalidInput(
            "Unknown status.", fields={"status": [f"Choose from {', '.join(Status.values)}."]}
        )
    case = _lock(case)
    if case.status == status:
        raise InvalidTransition(f"The case is already {case.get_status_display().lower()}.")
    note = note.strip()
    if status not in GapCase.ACTIVE and not note:
        raise InvalidInput("Say how it ended.", fields={"note": ["Required to close a case."]})
    label = Status(status).label.lower()
    _move(case, status, by=by, note=f"Status: {label}." + (f" {note}" if note else ""))
    if case.owner is None and status == Status.IN_PROGRESS:
        case.owner = by  # whoever starts the work owns it until handed on
        case.save(update_fields=["owner", "updated_at"])
    return case


@transaction.atomic
def add_note(*, case: GapCase, text: str, by: User) -> GapNote:
    require_broker(by, "work on unmet needs", case)
    text = text.strip()
    if not text:
        raise InvalidInput("Write the note.", fields={"text": ["Required."]})
    if len(text) > 4000:
        raise InvalidInput("At most 4,000 characters.", fields={"text": ["Too long."]})
    case = _lock(case)
    case.save(update_fields=["updated_at"])
    return GapNote.objects.create(case=case, author=by, text=text)
