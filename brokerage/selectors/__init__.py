"""Reusable reads, one module per concern; every name is also here, so a caller writes
`selectors.visible_needs(...)` and a reader finds its home by the module named below.

- `visibility`: who sees what (`Viewer`, `visible_*`, `proposable_*`).
- `dashboards`: the broker's headline figures and queue.
- `ledgers`: leave policies and ledgers, credits, valuation rules.
- `inbox`: the last place in a person's inbox and the unread badge.
- `organisations`: contacts, what a pending organisation is told, the audit log.
- `volunteering`: needs that fit a volunteer, volunteers' interest.
- `gaps`: what an unmet need is missing.
- `places`: the councils served, the wards in force, the choices the filters offer.
- `help`: what the help pages state as fact (teams to contact, measures in force).

Who may *act* is `brokerage.access`; aggregates for reports are `brokerage.reports`; writes are
`brokerage.services`. A GET never writes.
"""

from brokerage.selectors.dashboards import (
    broker_headlines,
    broker_queue,
    market_figures,
    member_dashboard,
    needs_in_most_deprived_wards,
)
from brokerage.selectors.gaps import (
    explain_gap_cases,
)
from brokerage.selectors.help import broker_teams, measures_in_force
from brokerage.selectors.inbox import (
    last_notification_seq,
    unread_count,
)
from brokerage.selectors.ledgers import (
    credit_statement,
    leave_ledger,
    leave_ledgers,
    leave_policy,
    social_value_policy,
)
from brokerage.selectors.organisations import (
    VERIFICATION_USUALLY_TAKES,
    audit_log,
    contact_for,
    verification_help,
)
from brokerage.selectors.places import (
    current_wards,
    filter_choices,
    served_councils,
)
from brokerage.selectors.visibility import (
    Viewer,
    offers_to_help_from,
    open_needs,
    organisation_ids_of,
    proposable_needs,
    proposable_offers,
    viewer_of,
    visible_allocation_plans,
    visible_assignments,
    visible_contracts,
    visible_contributions,
    visible_gap_cases,
    visible_interests,
    visible_invitations,
    visible_matches,
    visible_needs,
    visible_offers,
    visible_organisations,
    visible_time,
    visible_volunteers,
)
from brokerage.selectors.volunteering import (
    interest_in,
    needs_fitting,
    open_interests,
    volunteering_record,
)

__all__ = [
    "VERIFICATION_USUALLY_TAKES",
    "Viewer",
    "audit_log",
    "broker_headlines",
    "broker_queue",
    "broker_teams",
    "contact_for",
    "credit_statement",
    "current_wards",
    "explain_gap_cases",
    "filter_choices",
    "interest_in",
    "last_notification_seq",
    "leave_ledger",
    "leave_ledgers",
    "leave_policy",
    "market_figures",
    "measures_in_force",
    "member_dashboard",
    "needs_fitting",
    "needs_in_most_deprived_wards",
    "offers_to_help_from",
    "open_interests",
    "open_needs",
    "organisation_ids_of",
    "proposable_needs",
    "proposable_offers",
    "served_councils",
    "social_value_policy",
    "unread_count",
    "verification_help",
    "viewer_of",
    "visible_allocation_plans",
    "visible_assignments",
    "visible_contracts",
    "visible_contributions",
    "visible_gap_cases",
    "visible_interests",
    "visible_invitations",
    "visible_matches",
    "visible_needs",
    "visible_offers",
    "visible_organisations",
    "visible_time",
    "visible_volunteers",
    "volunteering_record",
]
