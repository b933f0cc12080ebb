"""Aggregates for committee papers, contract monitoring and the brokers' ward view.

Only confirmed time counts as delivered. Each report reads a fixed handful of queries (rows
as plain values) and groups in Python. Reusable reads that are not aggregates live in
`brokerage.selectors`.
"""

from brokerage.reports.contracts import TOMS_COLUMNS, contract_statement, toms_return
from brokerage.reports.councils import RETURN_COLUMNS, council_return, total_value
from brokerage.reports.declines import declines_by_reason
from brokerage.reports.summary import CITY_WIDE, COLUMNS, DIMENSIONS, Scope, scope_for, summary
from brokerage.reports.wards import council_outlines, skills_gap, ward_overview

__all__ = [
    "CITY_WIDE",
    "COLUMNS",
    "DIMENSIONS",
    "RETURN_COLUMNS",
    "TOMS_COLUMNS",
    "Scope",
    "contract_statement",
    "council_outlines",
    "council_return",
    "declines_by_reason",
    "scope_for",
    "skills_gap",
    "summary",
    "toms_return",
    "total_value",
    "ward_overview",
]
