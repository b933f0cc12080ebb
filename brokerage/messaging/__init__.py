"""Telling people: the notification pipeline and everything that reaches someone who is not
looking at the change.

A notification goes through four steps, one module each:
1. `outbox`: services write `Notification` rows for the people concerned (`notify`, and the
   recipient lists) inside their own transaction, so a row commits with its change or not at all.
2. `sequencing`: after the commit each row gets its place in its recipient's inbox (`seq`),
   gap-free in commit order.
3. `delivery`: a per-process thread places and pushes what committed (inline in the embedded
   mode), so the request that committed waits for neither.
4. `push`: the placed rows go to the recipient's channel group as `PUSH_EVENT`, which the
   socket (`api.consumers`) handles; a lost push is found by the socket watcher.

Beside them: `emails` (what is mailed, and the daily digest), `announcements` (telling the other
side of the market about a fitting listing), `links` (the page and API address of what a
notification is about, built on read) and `jobs` (the one way services hand work to the worker).

The guarantee: each recipient's committed notifications get places 1, 2, 3… with no gaps and
no repeats, and a place is given only to a committed row, after every place given before it.
So a client that has seen place n and asks for everything after n gets every notification it
has not seen, in order, exactly once.
"""
