"""claims.desk_model: a desk layer learnt from reviewer decisions, activated only if better."""

from __future__ import annotations

import random

import pytest
from django.core.management import call_command

from articles.proposal_queue import article_mark_queued
from claims.desk_model import (
    active_model_version,
    desk_model_train,
    holdout_articles,
    model_version_activate,
)
from claims.models import Claim, ClaimModelVersion
from claims.proposal import article_propose_claims
from claims.services import claim_set_status
from extraction.desk import DeskLayer
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

PLACES = ["Harbour City", "Northfield", "Lakeside", "Port Avon", "Eastbrook", "Millbridge"]
BODIES = ["council", "water board", "school district", "transport authority", "health trust"]
ACTS = ["approved", "signed", "announced", "confirmed", "opened", "cut"]
THINGS = ["a new flood barrier", "a bus depot", "a budget", "a housing plan", "a clinic"]


def _fact(rng: random.Random) -> str:
    """A sentence this desk checks: who did what, and when."""
    return (
        f"The {rng.choice(PLACES)} {rng.choice(BODIES)} {rng.choice(ACTS)} "
        f"{rng.choice(THINGS)} on {rng.choice(['Monday', 'Tuesday', 'Friday'])} morning."
    )


def _poll(rng: random.Random) -> str:
    """A sentence the shipped model likes (figures, a source) and this desk always dismisses."""
    return (
        f"Officials said {rng.randint(20, 80)}% of residents in {rng.choice(PLACES)} backed the "
        f"{rng.choice(BODIES)} in an online poll, up {rng.randint(2, 9)} percent from the "
        f"ministry's {rng.choice(['2023', '2024'])} survey."
    )


def _decided_articles(n_articles: int, *, seed: int, labels: str, reviewer) -> None:
    """Articles with reviewed claims: facts kept and polls dismissed (or random labels)."""
    rng = random.Random(seed)
    for _ in range(n_articles):
        sentences = [_fact(rng) for _ in range(3)] + [_poll(rng) for _ in range(3)]
        rng.shuffle(sentences)
        body = "\n\n".join(sentences)
        article = ArticleFactory(body=body, proposal_state="done")
        for sentence in sentences:
            start = body.index(sentence)
            claim = Claim.objects.create(
                article=article,
                text=sentence,
                start=start,
                end=start + len(sentence),
                score=0.9,
                claim_type="quantity",
                claimer="Harbour Herald",
            )
            polled = "in an online poll" in sentence
            keep = rng.random() < 0.5 if labels == "random" else not polled
            claim_set_status(
                claim_id=claim.pk, to_status="verified" if keep else "dismissed", user=reviewer
            )


@pytest.fixture(autouse=True)
def _desk_settings(settings):
    settings.CLAIM_SCORER = "rules"
    settings.CLAIM_PIPELINE = "extraction.pipeline.propose"
    settings.CLAIM_PROPOSAL_THRESHOLD = None
    settings.DESK_MODEL_MIN_DECISIONS = 60
    settings.DESK_MODEL_HOLDOUT_SHARE = 0.25
    settings.DESK_MODEL_MIN_GAIN = 0.02


def _propose(body: str) -> list[Claim]:
    article = ArticleFactory(body=body, proposal_state="pending")
    article_mark_queued(article_id=article.pk)
    article_propose_claims(article_id=article.pk)
    return list(Claim.objects.filter(article=article).select_related("model_version"))


def test_without_decisions_nothing_changes_and_the_command_says_why(capsys):
    call_command("train_claim_model", "--from-reviews")
    out = capsys.readouterr().out
    assert "Only 0 reviewer decisions so far; the desk layer needs at least 60" in out
    assert not ClaimModelVersion.objects.filter(kind="desk").exists()
    # Proposal still uses the shipped model, and records it.
    claims = _propose("The council approved a budget of 48 million dollars on Tuesday.")
    assert [c.model_version.kind for c in claims] == ["shipped"]


def test_one_sided_decisions_are_refused(reviewer, settings):
    settings.DESK_MODEL_MIN_DECISIONS = 10
    rng = random.Random(1)
    for _ in range(3):
        sentences = [_fact(rng) for _ in range(5)]
        body = "\n\n".join(sentences)
        article = ArticleFactory(body=body)
        for s in sentences:
            start = body.index(s)
            claim = Claim.objects.create(
                article=article, text=s, start=start, end=start + len(s), score=0.9
            )
            claim_set_status(claim_id=claim.pk, to_status="verified", user=reviewer)
    result = desk_model_train()
    assert result.version is None
    assert result.message == (
        "15 claims kept and 0 dismissed: the desk layer needs at least 10 of each. Nothing changed."
    )


def test_learnable_desk_preference_is_trained_activated_and_used_by_proposal(reviewer, capsys):
    _decided_articles(24, seed=7, labels="desk", reviewer=reviewer)
    shipped_before = active_model_version()
    assert shipped_before.kind == "shipped"

    call_command("train_claim_model", "--from-reviews")
    out = capsys.readouterr().out

    version = ClaimModelVersion.objects.get(kind="desk")
    assert version.active and "activated" in out
    assert version.trained_on == 144
    held = version.figures["held_back"]
    assert held["after"]["ap"] > held["before"]["ap"] + 0.02
    assert held["after"]["f1"] >= held["before"]["f1"]
    assert (
        version.figures["cross_validated"]["after"]["ap"]
        > (version.figures["cross_validated"]["before"]["ap"])
    )
    assert "held-back       shipped model" in out and "with desk layer" in out
    assert ClaimModelVersion.objects.filter(active=True).count() == 1
    DeskLayer(version.parameters)  # what is stored is loadable

    rng = random.Random(99)
    fact, poll = _fact(rng), _poll(rng)
    claims = {c.text: c for c in _propose(f"{fact}\n\n{poll}")}
    assert fact in claims
    assert claims[fact].model_version_id == version.pk
    # The poll is what this desk dismisses: not proposed any more, or ranked below the fact.
    assert poll not in claims or claims[poll].score < claims[fact].score


def test_random_labels_give_a_layer_that_is_not_activated(reviewer):
    _decided_articles(24, seed=3, labels="random", reviewer=reviewer)

    result = desk_model_train()

    assert result.version is not None and not result.activated
    result.version.refresh_from_db()
    assert not result.version.active
    assert "kept inactive" in result.version.note
    assert active_model_version().kind == "shipped"


def test_rollback_restores_the_shipped_model_for_new_proposals(reviewer):
    _decided_articles(24, seed=7, labels="desk", reviewer=reviewer)
    desk = desk_model_train().version
    assert desk.active
    shipped = ClaimModelVersion.objects.get(kind="shipped")

    model_version_activate(version_id=shipped.pk)

    desk.refresh_from_db()
    assert not desk.active and active_model_version() == shipped
    claims = _propose("The council approved a budget of 48 million dollars on Tuesday.")
    assert [c.model_version_id for c in claims] == [shipped.pk]
    # And forward again.
    model_version_activate(version_id=desk.pk)
    assert active_model_version() == desk


def test_holdout_is_a_fixed_share_of_whole_articles():
    ids = list(range(1, 41))
    held = holdout_articles(ids, 0.25)
    assert len(held) == 10
    assert holdout_articles(list(reversed(ids)) * 3, 0.25) == held


def test_admin_lists_versions_and_rolls_back(admin_client, reviewer):
    _decided_articles(24, seed=7, labels="desk", reviewer=reviewer)
    desk = desk_model_train().version
    shipped = ClaimModelVersion.objects.get(kind="shipped")

    page = admin_client.get("/admin/claims/claimmodelversion/").content.decode()
    assert desk.name in page and shipped.name in page
    held = desk.figures["held_back"]
    assert f"{held['before']['ap']:.3f} → {held['after']['ap']:.3f}" in page

    response = admin_client.post(
        "/admin/claims/claimmodelversion/",
        {"action": "activate_version", "_selected_action": [shipped.pk]},
    )
    assert response.status_code == 302
    shipped.refresh_from_db()
    desk.refresh_from_db()
    assert shipped.active and not desk.active


def test_admin_action_trains_and_reports(admin_client):
    active_model_version()
    shipped = ClaimModelVersion.objects.get(kind="shipped")
    response = admin_client.post(
        "/admin/claims/claimmodelversion/",
        {"action": "train_desk_layer", "_selected_action": [shipped.pk]},
        follow=True,
    )
    assert "Only 0 reviewer decisions so far" in response.content.decode()
    assert not ClaimModelVersion.objects.filter(kind="desk").exists()


def test_admin_claim_page_shows_the_proposing_version(admin_client):
    claims = _propose("The council approved a budget of 48 million dollars on Tuesday.")
    page = admin_client.get(f"/admin/claims/claim/{claims[0].pk}/change/")
    assert page.status_code == 200
    assert claims[0].model_version.name in page.content.decode()
