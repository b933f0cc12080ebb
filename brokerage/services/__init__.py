"""Every state change of the marketplace, one function per action.

The API and the pages call these and nothing else to change state. Each service checks the
rules (raising `brokerage.errors.DomainError`), locks what it changes, and runs in one
transaction together with its audit event.
"""
