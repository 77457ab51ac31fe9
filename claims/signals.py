"""What claims tells the apps above it: they connect receivers in their ``AppConfig.ready()``.

claims knows nothing of who reacts to a status change (re-review flags, webhook events, and
whatever comes next); a new reaction is a receiver registered by the app that reacts.
"""

from django.dispatch import Signal

# Sent by ``claims.services.claim_set_status`` inside the status change's transaction, after the
# history row is written, with ``claim`` and ``change`` (the ClaimStatusChange). A receiver's
# writes commit or roll back with the change; work that must see only committed changes (an
# outgoing webhook) registers ``transaction.on_commit`` itself.
claim_status_changed = Signal()

# Sent by ``claims.proposal`` inside the transaction that writes an article's proposed claims,
# with ``article_id`` and ``over_cap`` (how many proposals PROPOSAL_MAX_CLAIMS_PER_ARTICLE left
# out, 0 for none); matching records it on the article's matching state.
claims_proposed = Signal()

# Sent by ``claims.services.claim_assign`` inside its transaction when the assignee changes,
# with ``claim``, ``assignee`` (None when unassigned) and ``by`` (who assigned). Notifications
# tell the new assignee (after commit).
claim_assigned = Signal()

# The second-reviewer flow (verdict policy). Each is sent inside the transaction that records
# the step, with ``claim`` and ``approval`` (the pending verdict's row); ``verdict_approved``
# also carries ``change`` (the ClaimStatusChange the approval wrote) and ``verdict_sent_back``
# the approver's ``note``.
verdict_submitted = Signal()
verdict_approved = Signal()
verdict_sent_back = Signal()

# Sent when a verdict passes its re-verification date (``claim``): the changes feed and webhooks
# announce the expiry.
claim_verdict_expired = Signal()

# Sent by publishing when a published verdict changes (``claim``, ``correction``, and
# ``article_ids``: every article that carries the claim or a confirmed match of it);
# integrations turns it into the ``claim.correction`` webhook event.
claim_correction = Signal()
