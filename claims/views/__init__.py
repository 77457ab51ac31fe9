"""The reviewer workspace: triage queue, claim page, article page and their actions.

Views parse, authorise, call one service and render. Every action is a plain form POST that
redirects (so it works without JavaScript); htmx requests get the re-rendered panel instead.
"""

from claims.views.actions import (
    article_rerun,
    bulk_action,
    claim_add_evidence,
    claim_assign,
    claim_correct_attribution,
    claim_set_status,
)
from claims.views.approvals import (
    approval_approve,
    approval_send_back,
    approvals,
    claim_undo,
)
from claims.views.common import can_enter, can_rerun, can_review
from claims.views.pages import article_detail, claim_detail, queue, recheck

__all__ = [
    "approval_approve",
    "approval_send_back",
    "approvals",
    "article_detail",
    "article_rerun",
    "bulk_action",
    "can_enter",
    "can_rerun",
    "can_review",
    "claim_add_evidence",
    "claim_assign",
    "claim_correct_attribution",
    "claim_detail",
    "claim_set_status",
    "claim_undo",
    "queue",
    "recheck",
]
