from django.apps import AppConfig

from claims.signals import claim_status_changed, claims_proposed


class MatchingConfig(AppConfig):
    name = "matching"
    verbose_name = "Claim matching"

    def ready(self) -> None:
        from factcheck.navigation import register_nav_item
        from matching.selectors import open_conflict_count, open_rereview_count
        from matching.state import on_claims_proposed
        from matching.verdicts import on_claim_status_changed

        # Connected here so claims never imports matching. Both run inside claims' transaction:
        # a re-review flag commits (or rolls back) with the status change, the claim-cap note
        # with the proposed claims.
        claim_status_changed.connect(
            on_claim_status_changed, dispatch_uid="matching.verdicts.on_claim_status_changed"
        )
        claims_proposed.connect(
            on_claims_proposed, dispatch_uid="matching.state.on_claims_proposed"
        )
        register_nav_item(
            "verdict_changed",
            label="Verdict changed",
            url_name="matching:verdict_changed",
            order=30,
            count=lambda user: open_rereview_count(),
        )
        register_nav_item(
            "conflicts",
            label="Conflicts",
            url_name="matching:conflicts",
            order=40,
            count=lambda user: open_conflict_count(),
        )
