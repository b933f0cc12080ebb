"""The read shape of offers and needs, built directly from prefetched model instances.

Lists of needs are the hottest read in the product (every browse page and integration), and
DRF's ModelSerializer rebuilds its fields and validators on every instantiation. These
functions give the same JSON as `NeedSerializer` / `OfferSerializer` (a test holds them
equal), at a fraction of the cost. The serializers remain the input shape and the schema.
"""

import datetime as dt
from typing import Any

from django.utils import timezone

from brokerage.models import Need, Offer


def _datetime(value: dt.datetime | None) -> str | None:
    if value is None:
        return None
    text = timezone.localtime(value, dt.UTC).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _common(listing: Need | Offer) -> dict[str, Any]:
    return {
        "id": listing.pk,
        "organisation": listing.organisation_id,
        "organisation_name": listing.organisation.name,
        "title": listing.title,
        "description": listing.description,
    }


def _tail(listing: Need | Offer) -> dict[str, Any]:
    return {
        "remote_ok": listing.remote_ok,
        "status": listing.status,
        "published_at": _datetime(listing.published_at),
        "created_at": _datetime(listing.created_at),
        "updated_at": _datetime(listing.updated_at),
    }


def need_json(need: Need) -> dict[str, Any]:
    """Needs `organisation` and `ward` selected, `need_skills__skill` and `themes` prefetched."""
    return {
        **_common(need),
        "ward": need.ward.gss_code,
        "ward_name": need.ward.name,
        "skills": [
            {"skill": link.skill.slug, "must_have": link.must_have}
            for link in need.need_skills.all()
        ],
        "days_needed": need.days_needed,
        "days_remaining": need.days_remaining,
        "needed_by": need.needed_by.isoformat(),
        "themes": [theme.slug for theme in need.themes.all()],
        "dbs_required": need.dbs_required,
        "dbs_barred_lists": need.dbs_barred_lists,
        **_tail(need),
    }


def offer_json(offer: Offer) -> dict[str, Any]:
    """Needs `organisation` selected, `offer_skills__skill` and `wards` prefetched."""
    return {
        **_common(offer),
        "skills": [
            {"skill": link.skill.slug, "level": link.level} for link in offer.offer_skills.all()
        ],
        "volunteers": offer.volunteers,
        "days_offered": offer.days_offered,
        "days_remaining": offer.days_remaining,
        "leave_type": offer.leave_type,
        "available_from": offer.available_from.isoformat(),
        "available_until": offer.available_until.isoformat(),
        "wards": [ward.gss_code for ward in offer.wards.all()],
        **_tail(offer),
    }
