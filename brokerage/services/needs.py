import datetime as dt
from collections.abc import Iterable, Mapping

from django.db import transaction

from brokerage.errors import InvalidInput
from brokerage.models import Need, NeedSkill, Organisation, Skill, Theme, User, Ward
from brokerage.services import listings
from brokerage.services._common import validate

EDITABLE = {
    "title", "description", "days_needed", "needed_by", "remote_ok", "dbs_required",
    "dbs_barred_lists",
}  # fmt: skip


def _check_dbs(need: Need) -> None:
    if need.dbs_barred_lists and need.dbs_required != "enhanced":
        raise InvalidInput(
            "Barred-list checks come only with an enhanced DBS check.",
            fields={"dbs_barred_lists": ["Only with an enhanced check."]},
        )


def _set_skills(need: Need, skills: Mapping[Skill, bool]) -> None:
    need.need_skills.all().delete()
    NeedSkill.objects.bulk_create(
        NeedSkill(need=need, skill=skill, must_have=bool(must_have))
        for skill, must_have in skills.items()
    )


@transaction.atomic
def create_need(
    *,
    organisation: Organisation,
    by: User,
    title: str,
    ward: Ward,
    days_needed: int,
    needed_by: dt.date,
    skills: Mapping[Skill, bool],
    description: str = "",
    remote_ok: bool = False,
    themes: Iterable[Theme] = (),
    dbs_required: str = "",
    dbs_barred_lists: bool = False,
) -> Need:
    """A VCS organisation drafts a request for help in `ward`, by `needed_by`.

    `skills` maps each skill to whether it is a must-have (True) or nice to have (False).
    """
    listings.require_poster(by, organisation, Organisation.Kind.VCS, "requests for help")
    listings.require_current_wards([ward], "ward")
    need = Need(
        organisation=organisation,
        created_by=by,
        title=title,
        description=description,
        ward=ward,
        days_needed=days_needed,
        needed_by=needed_by,
        remote_ok=remote_ok,
        dbs_required=dbs_required,
        dbs_barred_lists=dbs_barred_lists,
    )
    _check_dbs(need)
    validate(need)
    need.save()
    _set_skills(need, skills)
    need.themes.set(themes)
    return need


@transaction.atomic
def update_need(
    *,
    need: Need,
    by: User,
    ward: Ward | None = None,
    skills: Mapping[Skill, bool] | None = None,
    themes: Iterable[Theme] | None = None,
    **changes,
) -> Need:
    """Edit a need that is not closed or expired; its days cannot go below the days matched."""
    listings.require_poster(by, need.organisation, Organisation.Kind.VCS, "requests for help")
    if ward is not None:
        listings.require_current_wards([ward], "ward")
        changes["ward"] = ward
    locked = listings.lock(need)
    merged = {"dbs_required": locked.dbs_required, "dbs_barred_lists": locked.dbs_barred_lists}
    merged |= {k: v for k, v in changes.items() if k in merged}
    _check_dbs(Need(**merged))
    need = listings.apply_changes(locked, changes, EDITABLE | {"ward"})
    if skills is not None:
        _set_skills(need, skills)
    if themes is not None:
        need.themes.set(themes)
    return need
