"""articles_import_batch / article_import / article_import_payload against the database."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection
from django.test.utils import CaptureQueriesContext

from articles.importing import ArticleDraft, ImportRejection, read_path
from articles.models import Article, ProposalState
from articles.services import (
    ImportBatchTooLarge,
    article_import,
    article_import_payload,
    articles_import_batch,
)
from tests.articles.samples import BODY, BOILERPLATE_TAIL, OTHER_BODY, THIRD_BODY
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def draft(body: str = BODY, **kwargs) -> ArticleDraft:
    return ArticleDraft(title=kwargs.pop("title", "Tram record"), body=body, **kwargs)


def seed_files(shared_dir):
    files = sorted((shared_dir / "seeds").glob("*.txt"))
    assert len(files) == 5
    return files


def test_importing_the_seeds_twice_gives_five_articles(shared_dir, editor):
    files = seed_files(shared_dir)
    first = articles_import_batch(
        [r for f in files for r in read_path(f)], imported_by=editor, propose=False
    )
    assert [o.status for o in first] == ["created"] * 5
    second = articles_import_batch(
        [r for f in files for r in read_path(f)], imported_by=editor, propose=False
    )
    assert [o.status for o in second] == ["duplicate"] * 5
    assert [o.article_id for o in second] == [o.article_id for o in first]
    assert Article.objects.count() == 5
    assert set(Article.objects.values_list("imported_by", flat=True)) == {editor.pk}
    assert set(Article.objects.values_list("language", flat=True)) == {"en"}


def test_seed_004_boilerplate_never_reaches_the_stored_text(shared_dir):
    path = next((shared_dir / "seeds").glob("004_*.txt"))
    raw_lines = [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]
    (outcome,) = articles_import_batch(read_path(path), propose=False)
    article = Article.objects.get(pk=outcome.article_id)
    stored = article.body.split("\n")
    for line in raw_lines[-5:]:  # byline, newsletter prompts, "Please wait...", thanks
        assert line not in stored
    assert article.author == raw_lines[-5]  # the byline kept as metadata, not as text
    assert raw_lines[-6] in stored  # the last real paragraph stays


def test_created_article_fields_and_cleaned_body():
    body = "\n\n".join([BODY, *BOILERPLATE_TAIL])
    outcome = article_import(
        draft(
            body,
            url="HTTPS://Post.Example/trams?utm_source=x#c",
            source=" Riverside  Post ",
            title="  Tram   record ",
        )
    )
    assert outcome.status == "created"
    article = Article.objects.get(pk=outcome.article_id)
    assert article.body == BODY
    assert article.title == "Tram record"
    assert article.url == "https://post.example/trams"
    assert article.source == "Riverside Post"
    assert article.author == "Marta Quill, with Reuters"
    assert article.language == "en"
    assert (outcome.title, outcome.url) == ("Tram record", "https://post.example/trams")


def test_untitled_article_gets_its_first_sentence_as_title():
    outcome = article_import(draft(OTHER_BODY, title=""))
    assert Article.objects.get(pk=outcome.article_id).title == (
        "Farmers in the Lowmoor valley harvested 8,200 tonnes of apples this autumn, a record "
        "for the cooperative."
    )


def test_same_canonical_url_is_a_duplicate_even_with_other_text():
    existing = ArticleFactory(url="https://post.example/trams")
    outcome = article_import(draft(OTHER_BODY, url="https://post.example/trams?utm_medium=email"))
    assert (outcome.status, outcome.article_id) == ("duplicate", existing.pk)
    assert outcome.reason == f"Already imported as article {existing.pk}."


def test_same_text_differently_spaced_is_a_duplicate():
    first = article_import(draft(BODY))
    spaced = "   " + BODY.replace("\n\n", "\n\n\n").replace(" ", "  ") + "\n"
    second = article_import(draft(spaced, title="Other title"))
    assert (second.status, second.article_id) == ("duplicate", first.article_id)


def test_batch_with_bad_items_imports_the_good_ones():
    items = [
        draft(BODY),
        ImportRejection(origin="broken.json", reason="malformed JSON"),
        draft("   \n\t "),
        draft("\n".join(BOILERPLATE_TAIL[1:])),
        draft(OTHER_BODY, url="javascript:alert(1)"),
        draft(BODY, title="Same text again"),
        draft(THIRD_BODY, url="https://post.example/library"),
    ]
    outcomes = articles_import_batch(items, propose=False)
    assert [o.status for o in outcomes] == [
        "created",
        "rejected",
        "rejected",
        "rejected",
        "rejected",
        "duplicate",
        "created",
    ]
    assert outcomes[1].reason == "malformed JSON"
    assert outcomes[2].errors == {"body": ["The article has no text."]}
    assert outcomes[3].errors == {
        "body": ["The article has no text once page boilerplate is removed."]
    }
    assert outcomes[4].errors == {"url": ["Enter a valid http(s) URL (at most 2000 characters)."]}
    assert outcomes[5].article_id == outcomes[0].article_id  # duplicate within the batch
    assert Article.objects.count() == 2


def test_a_failing_article_is_rolled_back_and_the_others_are_kept(monkeypatch):
    from articles import services

    real_one, real_many = services.article_request_proposal, services.articles_request_proposal
    failed = []

    def flaky(article_ids):
        for article_id in article_ids:
            if "Lowmoor" in Article.objects.get(pk=article_id).body:
                failed.append(article_id)
                raise DatabaseError("connection reset during proposal bookkeeping")

    def flaky_one(*, article_id):
        flaky([article_id])
        real_one(article_id=article_id)

    def flaky_many(*, article_ids):
        flaky(article_ids)
        real_many(article_ids=article_ids)

    monkeypatch.setattr(services, "article_request_proposal", flaky_one)
    monkeypatch.setattr(services, "articles_request_proposal", flaky_many)
    outcomes = articles_import_batch([draft(BODY), draft(OTHER_BODY), draft(THIRD_BODY)])
    assert [o.status for o in outcomes] == ["created", "rejected", "created"]
    assert outcomes[1].reason == "The article could not be saved (DatabaseError)."
    # The failing article's row was inserted (twice: in the batch, then alone) and rolled
    # back with its transaction each time.
    assert len(failed) == 2
    assert not Article.objects.filter(body__contains="Lowmoor").exists()
    assert set(Article.objects.values_list("body", flat=True)) == {BODY, THIRD_BODY}
    assert all(a.proposal_queued_at for a in Article.objects.all())


def test_an_article_inserted_concurrently_is_reported_as_a_duplicate(monkeypatch):
    # Another import commits the same text between our duplicate check and our insert: the
    # unique constraint refuses the batch, and the one-by-one retry reports the duplicate.
    from articles import services

    rival = ArticleFactory(body=BODY)
    monkeypatch.setattr(services, "_existing_keys", lambda hashes, urls: ({}, {}, {}))
    outcomes = articles_import_batch([draft(OTHER_BODY), draft(BODY)], propose=False)
    assert [(o.status, o.article_id) for o in outcomes] == [
        ("created", outcomes[0].article_id),
        ("duplicate", rival.pk),
    ]
    assert Article.objects.count() == 2


def test_a_duplicate_of_a_rejected_batch_item_is_rejected_too(monkeypatch):
    from articles import services

    def failing_request(**kwargs):
        raise DatabaseError("broken")

    monkeypatch.setattr(services, "article_request_proposal", failing_request)
    monkeypatch.setattr(services, "articles_request_proposal", failing_request)
    outcomes = articles_import_batch([draft(BODY), draft(BODY, title="Again")])
    assert [o.status for o in outcomes] == ["rejected", "rejected"]
    assert outcomes[1].reason == "Its duplicate earlier in the batch could not be saved."
    assert Article.objects.count() == 0


def test_duplicates_within_a_batch_point_at_the_new_article():
    outcomes = articles_import_batch(
        [
            draft(BODY, url="https://post.example/t"),
            draft(OTHER_BODY, url="https://post.example/t?utm_source=x"),
            draft(BODY),
        ],
        propose=False,
    )
    assert [o.status for o in outcomes] == ["created", "duplicate", "duplicate"]
    assert outcomes[1].article_id == outcomes[2].article_id == outcomes[0].article_id
    assert Article.objects.count() == 1


def test_imported_articles_are_queued_for_proposal_on_commit(
    monkeypatch, django_capture_on_commit_callbacks
):
    from claims import tasks

    published = []
    # Sent by name from articles: the signature runs the registered task's apply_async.
    monkeypatch.setattr(
        tasks.propose_claims,
        "apply_async",
        lambda args=(), kwargs=None, **options: published.append(args[0]),
    )
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        outcomes = articles_import_batch([draft(BODY), draft(OTHER_BODY), draft(BODY)])
    assert published == []  # nothing is published before the commit
    for callback in callbacks:
        callback()
    created = [o.article_id for o in outcomes if o.status == "created"]
    assert published == created
    assert len(created) == 2
    for article in Article.objects.all():
        assert article.proposal_state == ProposalState.PENDING
        assert article.proposal_queued_at is not None


def test_no_propose_queues_nothing(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        (outcome,) = articles_import_batch([draft(BODY)], propose=False)
    assert callbacks == []
    assert Article.objects.get(pk=outcome.article_id).proposal_queued_at is None


def test_a_large_batch_costs_one_duplicate_query_and_one_insert():
    ArticleFactory(body=BODY)
    drafts = [draft(f"{OTHER_BODY}\n\nUpdate {i}: the press opens in week {i}.") for i in range(30)]
    with CaptureQueriesContext(connection) as queries:
        outcomes = articles_import_batch([draft(BODY), *drafts], propose=False)
    assert [o.status for o in outcomes] == ["duplicate"] + ["created"] * 30
    statements = [q["sql"].split()[0] for q in queries.captured_queries]
    assert statements.count("SELECT") == 1
    assert statements.count("INSERT") == 1
    assert Article.objects.count() == 31


# --- JSON API payload -----------------------------------------------------------------------


def test_payload_outcomes_in_the_api_shape(editor):
    existing = ArticleFactory(url="https://post.example/old")
    outcomes = article_import_payload(
        [
            {"title": "Tram record", "body": BODY, "url": "https://post.example/t"},
            {"title": "Old", "body": OTHER_BODY, "url": "https://post.example/old"},
            {"title": "No text"},
            {"body": THIRD_BODY, "published_at": "next week"},
        ],
        imported_by=editor,
    )
    created = Article.objects.get(url="https://post.example/t")
    assert [o.as_api_dict(i) for i, o in enumerate(outcomes)] == [
        {
            "index": 0,
            "status": "created",
            "id": created.pk,
            "title": "Tram record",
            "url": "https://post.example/t",
        },
        {
            "index": 1,
            "status": "duplicate",
            "id": existing.pk,
            "title": "Old",
            "url": "https://post.example/old",
        },
        {
            "index": 2,
            "status": "error",
            "errors": {"body": ["This field is required."]},
            "detail": "body: This field is required.",
        },
        {
            "index": 3,
            "status": "error",
            "errors": {
                "published_at": ["Enter a date and time in ISO 8601 (2025-03-04T10:00:00Z)."]
            },
            "detail": "published_at: Enter a date and time in ISO 8601 (2025-03-04T10:00:00Z).",
        },
    ]
    assert created.imported_by == editor


def test_payload_over_the_bulk_limit_is_refused(settings):
    settings.IMPORT_BULK_LIMIT = 2
    with pytest.raises(ImportBatchTooLarge, match=r"At most 2 articles per request \(3 sent\)"):
        article_import_payload([{"body": BODY}] * 3)
    assert Article.objects.count() == 0


def test_payload_body_over_the_size_limit(settings):
    settings.IMPORT_MAX_BYTES = 500
    (outcome,) = article_import_payload([{"body": BODY * 5}])
    assert outcome.errors == {"body": ["The text is larger than the 500 bytes limit."]}
