"""factory_boy factories for the project's models."""

from __future__ import annotations

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from articles.models import Article, content_hash
from claims.models import Claim
from claims.roles import EDITORS, REVIEWERS, ensure_role_groups

# Project-written text (never copied from ../shared/seeds).
SAMPLE_BODY = (
    "Harbour City Council approved a budget of $48 million for flood defences on Tuesday.\n\n"
    "The mayor, Dana Whitfield, said the plan would protect 12,000 homes by 2028.\n\n"
    "Residents have long complained about the smell of the river.\n\n"
    "What will happen to the old pier?"
)


def _add_groups(user, names) -> None:
    # A transactional test before this one may have flushed the migration-made groups.
    ensure_role_groups()
    groups = list(Group.objects.filter(name__in=names))
    assert len(groups) == len(set(names)), f"unknown group in {names}"
    user.groups.add(*groups)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@newsroom.example")
    password = factory.django.Password("correct-horse-battery")

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if create and extracted:
            _add_groups(self, extracted)


class ReviewerFactory(UserFactory):
    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if create:
            _add_groups(self, [REVIEWERS, *(extracted or [])])


class EditorFactory(UserFactory):
    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if create:
            _add_groups(self, [EDITORS, *(extracted or [])])


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article

    title = factory.Sequence(lambda n: f"Council approves flood budget, part {n}")
    body = factory.Sequence(lambda n: f"{SAMPLE_BODY}\n\nUpdate number {n} was filed at noon.")
    source = "Harbour Herald"
    url = factory.Sequence(lambda n: f"https://herald.example/news/{n}")
    author = "Sam Reporter"
    language = "en"
    content_hash = factory.LazyAttribute(lambda a: content_hash(a.body))
    proposal_state = "done"


class ClaimFactory(factory.django.DjangoModelFactory):
    """A claim over the first sentence of its article (pass start/end for another span)."""

    class Meta:
        model = Claim

    article = factory.SubFactory(ArticleFactory)
    start = 0
    end = factory.LazyAttribute(lambda c: c.article.body.index(".") + 1)
    text = factory.LazyAttribute(lambda c: c.article.body[c.start : c.end])
    score = 0.9
    claim_type = "quantity"
    claimer = "Harbour Herald"
