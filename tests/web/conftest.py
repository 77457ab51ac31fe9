"""Fixtures of the reviewer workspace tests: articles with many claims, logged-in clients."""

from __future__ import annotations

import pytest

from claims.models import Claim
from tests.factories import ArticleFactory


def sentences_article(n: int, **article_fields):
    """An article of ``n`` project-written sentences (three per paragraph), one claim each."""
    sentences = [f"Depot {i} reported {i * 7 + 3} flooded homes on day {i}." for i in range(n)]
    body = "\n\n".join(" ".join(sentences[i : i + 3]) for i in range(0, n, 3))
    article = ArticleFactory(body=body, **article_fields)
    claims = []
    for i, sentence in enumerate(sentences):
        start = body.index(sentence)
        claims.append(
            Claim(
                article=article,
                text=sentence,
                start=start,
                end=start + len(sentence),
                score=round(0.99 - i * 0.001, 4),
                claim_type="quantity",
                claimer=f"Depot {i}",
            )
        )
    Claim.objects.bulk_create(claims)
    return article, list(Claim.objects.filter(article=article).order_by("start"))


@pytest.fixture
def make_article():
    return sentences_article


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Factories hash a password for every user; PBKDF2 would dominate these tests' run time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
