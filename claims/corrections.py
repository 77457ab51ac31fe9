"""Writes: a reviewer's correction of a claim's claimer and type (issue #17).

``claim_correct_attribution`` is the one way to change them after proposal: it locks the
claim, checks the version, writes one ``ClaimEdit`` row per changed field, marks the field
reviewer-set (``claimer_locked`` / ``type_locked``) and bumps the version, so a re-run of
proposal (claims.proposal's upsert) keeps the reviewer's values.
"""

from __future__ import annotations

import logging
import unicodedata

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from claims.models import Claim, ClaimEdit, ClaimType
from claims.services import ClaimError, StaleVersion

logger = logging.getLogger(__name__)

CLAIMER_MAX = 300


class InvalidCorrection(ClaimError):
    """A correction with a bad claimer or type; ``errors`` maps each field to its message."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__(" ".join(errors.values()))


def clean_claimer(value: str) -> str:
    """The claimer as stored: whitespace collapsed; raises InvalidCorrection if unusable."""
    if not isinstance(value, str):
        raise InvalidCorrection({"claimer": "The claimer must be text."})
    cleaned = " ".join(value.split())
    if not cleaned:
        raise InvalidCorrection({"claimer": "The claimer cannot be empty."})
    if len(cleaned) > CLAIMER_MAX:
        raise InvalidCorrection(
            {"claimer": f"The claimer is {len(cleaned)} characters; at most {CLAIMER_MAX}."}
        )
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Cs") for ch in cleaned):
        raise InvalidCorrection({"claimer": "The claimer contains control characters."})
    return cleaned


def clean_claim_type(value: str) -> str:
    """The claim type, if it is one of ClaimType; raises InvalidCorrection otherwise."""
    if value not in ClaimType.values:
        raise InvalidCorrection(
            {
                "claim_type": f"Unknown claim type {str(value)[:50]!r}; expected one of "
                + ", ".join(ClaimType.values)
                + "."
            }
        )
    return value


def claim_correct_attribution(
    *,
    claim_id: int,
    claimer: str | None = None,
    claim_type: str | None = None,
    user: AbstractBaseUser | None,
    expected_version: int | None = None,
) -> Claim:
    """Set a claim's claimer and/or type as a reviewer; one ClaimEdit row per changed field.

    ``None`` leaves a field as it is; a no-op (nothing changes, no row, no version bump) if
    the values are already these. Raises InvalidCorrection (nothing written) for a bad value
    or when neither is given, StaleVersion, and Claim.DoesNotExist.
    """
    errors: dict[str, str] = {}
    if claimer is None and claim_type is None:
        errors["non_field_errors"] = "Give a claimer, a claim type or both."
    for value, clean in ((claimer, clean_claimer), (claim_type, clean_claim_type)):
        if value is not None:
            try:
                clean(value)
            except InvalidCorrection as exc:
                errors.update(exc.errors)
    if errors:
        raise InvalidCorrection(errors)
    claimer = clean_claimer(claimer) if claimer is not None else None
    with transaction.atomic():
        # The same row lock as a verdict: a correction and a verdict on one claim are
        # serialised, and the second sees the first one's version.
        claim = (
            Claim.objects.select_for_update(of=("self",))
            .select_related("reviewed_by")
            .get(pk=claim_id)
        )
        if expected_version is not None and claim.version != expected_version:
            raise StaleVersion(claim, expected_version)
        changes = []
        if claimer is not None and claimer != claim.claimer:
            changes.append((ClaimEdit.Field.CLAIMER, claim.claimer, claimer))
        if claim_type is not None and claim_type != claim.claim_type:
            changes.append((ClaimEdit.Field.CLAIM_TYPE, claim.claim_type, claim_type))
        if not changes:
            return claim
        claim.version += 1
        fields = ["version", "updated_at"]
        for field, _old, new in changes:
            if field == ClaimEdit.Field.CLAIMER:
                claim.claimer, claim.claimer_locked = new, True
                fields += ["claimer", "claimer_locked"]
            else:
                claim.claim_type, claim.type_locked = new, True
                fields += ["claim_type", "type_locked"]
        claim.save(update_fields=fields)
        ClaimEdit.objects.bulk_create(
            ClaimEdit(
                claim=claim,
                field=field,
                old_value=old[:CLAIMER_MAX],
                new_value=new,
                edited_by=user,
                version=claim.version,
            )
            for field, old, new in changes
        )
    logger.info("claim %s: %s corrected (v%s)", claim.pk, [c[0] for c in changes], claim.version)
    return claim
