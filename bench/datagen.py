"""Fill the bench database with synthetic articles and claims fast, with COPY.

``python -m bench.datagen --articles 100000 --claims 1000000`` (the suite calls it itself).

What goes in, in the proportions of a working newsroom archive:
- articles of ~3-4 KB from ``bench.textgen`` (claim sentences among colour, questions, opinion
  and boilerplate), each with every sentence's score kept, ``proposal_state`` done;
- claims whose text is exactly ``body[start:end]``, scored, typed, attributed; most proposed,
  some assigned, about a fifth reviewed (verified / disputed / unconfirmed / dismissed) with
  their history rows and evidence links;
- facts restated across articles: "same" matches and their clusters, conflicting figures,
  verdicts inherited with who and when. As the matcher links them: each restatement to every
  earlier statement of the fact among its first CANDIDATE_LIMIT (candidates tie-break by id),
  and a few evergreen facts restated hundreds of times, whose first claims gather thousands
  of matches (issue #21 met one claim with 3,020 and 730k match rows in all);
- the matching index (``ClaimMatchKey`` rows from ``extraction.matching.analyse`` of
  every claim, and the key counts in ``ClaimMatchTerm``), as the matcher would have written it.

Secondary indexes and constraints of the bulk tables are dropped during the load and rebuilt
after (the same definitions, read from the catalog), which is several times faster than
maintaining them row by row. A ``bench_meta`` table records what was generated, so a later run
reuses the database when the sizes match.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import time
from collections import defaultdict, deque
from datetime import UTC, datetime, timedelta
from multiprocessing import Pool

import psycopg

from bench.textgen import OUTLETS, Fact, World, render

GENERATOR_VERSION = "5"  # 5: due times, escalations and verdict expiry (claims.deadlines)
# The matcher's CLAIM_MATCH_CANDIDATE_LIMIT: how many earlier statements of a fact a
# restatement is linked to.
CANDIDATE_LIMIT = 30
# Share of restated facts that keep coming back ("the wall would hold for a hundred years"),
# and the chance each restatement of one queues another (a geometric number of returns).
EVERGREEN_SHARE = 0.01
RETURN_CHANCE = {True: 0.98, False: 0.3}
STATUS_SHARES = [
    ("proposed", 0.78),
    ("dismissed", 0.08),
    ("verified", 0.08),
    ("disputed", 0.03),
    ("unconfirmed", 0.03),
]
REVIEWERS = 20
NOW = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


def meta_matches(url: str, articles: int, claims: int) -> bool:
    try:
        with psycopg.connect(url) as conn:
            rows = dict(conn.execute("SELECT key, value FROM bench_meta").fetchall())
    except psycopg.Error:
        return False
    return rows.get("done") == "1" and rows.get("spec") == _spec(articles, claims)


def generation_seconds(url: str) -> str:
    with psycopg.connect(url) as conn:
        row = conn.execute("SELECT value FROM bench_meta WHERE key = 'seconds'").fetchone()
    return row[0] if row else "?"


def _spec(articles: int, claims: int) -> str:
    return f"v{GENERATOR_VERSION}:{articles}:{claims}"


def _models():
    from articles.models import Article
    from claims.models import Claim, ClaimCluster, ClaimStatusChange, Evidence
    from matching.models import ClaimMatch, ClaimMatchKey, ClaimMatchTerm

    return {
        "article": Article,
        "claim": Claim,
        "change": ClaimStatusChange,
        "evidence": Evidence,
        "cluster": ClaimCluster,
        "match": ClaimMatch,
        "key": ClaimMatchKey,
        "term": ClaimMatchTerm,
    }


class Table:
    """A COPY stream into one model's table; every concrete column gets a value."""

    def __init__(self, conn: psycopg.Connection, model) -> None:
        from django.db import models as djm

        self.model = model
        self.table = model._meta.db_table
        self.fields = list(model._meta.concrete_fields)
        self.columns = [f.column for f in self.fields]
        self.defaults = {}
        for f in self.fields:
            default = f.get_default()
            if isinstance(f, djm.JSONField):
                default = json.dumps(default)
            self.defaults[f.attname] = default
        self.conn = conn
        self.cursor = conn.cursor()
        cols = ", ".join(f'"{c}"' for c in self.columns)
        self._ctx = self.cursor.copy(f'COPY "{self.table}" ({cols}) FROM STDIN')
        self.copy = self._ctx.__enter__()
        self.rows = 0

    def write(self, values: dict) -> None:
        d = self.defaults
        self.copy.write_row([values[a] if a in values else d[a] for a in d])
        self.rows += 1

    def close(self) -> None:
        self._ctx.__exit__(None, None, None)
        self.conn.commit()


def _secondary(conn: psycopg.Connection, table: str) -> tuple[list[tuple[str, str]], list[str]]:
    """(constraint name, definition) of FK/unique/check constraints, and other index DDL."""
    constraints = conn.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = %s::regclass AND contype IN ('f', 'u', 'c')",
        [table],
    ).fetchall()
    indexes = conn.execute(
        "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = %s "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname "
        "AND c.conrelid = %s::regclass)",
        [table, table],
    ).fetchall()
    return constraints, [(name, ddl) for name, ddl in indexes]


class LoadWithoutIndexes:
    """Drop secondary indexes and constraints of tables for a bulk load; rebuild them after."""

    def __init__(self, url: str, tables: list[str]) -> None:
        self.url, self.tables = url, tables
        self.saved: list[tuple[str, list, list]] = []

    def __enter__(self):
        with psycopg.connect(self.url, autocommit=True) as conn:
            for table in self.tables:
                constraints, indexes = _secondary(conn, table)
                self.saved.append((table, constraints, indexes))
                for name, _ in constraints:
                    conn.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}" CASCADE')
                for name, _ in indexes:
                    conn.execute(f'DROP INDEX IF EXISTS "{name}"')
        return self

    def __exit__(self, *exc):
        with psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute("SET maintenance_work_mem = '512MB'")
            # Unique and check constraints and plain indexes first; foreign keys last, once
            # every table they point at has its primary and unique keys again.
            for table, constraints, indexes in self.saved:
                for _, ddl in indexes:
                    conn.execute(ddl)
                for name, ddl in constraints:
                    if not ddl.startswith("FOREIGN KEY"):
                        conn.execute(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {ddl}')
            for table, constraints, _ in self.saved:
                for name, ddl in constraints:
                    if ddl.startswith("FOREIGN KEY"):
                        conn.execute(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {ddl}')
        return False


def _users() -> list[int]:
    """Reviewers (in the Reviewers group) the generated reviews are attributed to."""
    from django.contrib.auth.models import Group, User

    group = Group.objects.filter(name="Reviewers").first()
    ids = []
    for i in range(REVIEWERS):
        user, _ = User.objects.get_or_create(
            username=f"bench-reviewer-{i}", defaults={"is_staff": True, "email": ""}
        )
        if group:
            user.groups.add(group)
        ids.append(user.pk)
    return ids


def _pick_status(rng: random.Random) -> str:
    r = rng.random()
    for status, share in STATUS_SHARES:
        if r < share:
            return status
        r -= share
    return "proposed"


def generate(url: str, *, articles: int, claims: int, seed: int = 42, log=print) -> None:
    """Empty the bench database's app tables and fill them (run after migrate)."""
    models = _models()
    began = time.perf_counter()
    reviewers = _users()
    tables = [m._meta.db_table for m in models.values()]
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE TABLE IF NOT EXISTS bench_meta (key text PRIMARY KEY, value text)")
        conn.execute("DELETE FROM bench_meta")
        conn.execute(
            "TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE"
        )

    with LoadWithoutIndexes(url, tables):
        _fill(
            url, models, articles=articles, claims=claims, seed=seed, reviewers=reviewers, log=log
        )
        log(f"  rows written in {time.perf_counter() - began:.0f} s; indexing claims for matching")
        _fill_match_index(url, models, log=log)
        log(f"  match index written in {time.perf_counter() - began:.0f} s; rebuilding indexes")
    with psycopg.connect(url, autocommit=True) as conn:
        for model in models.values():
            if model._meta.pk.column != "id":
                continue
            table = model._meta.db_table
            conn.execute(
                f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                f'COALESCE((SELECT max(id) FROM "{table}"), 0) + 1, false)'
            )
        conn.execute("VACUUM ANALYZE")
        conn.execute(
            "INSERT INTO bench_meta VALUES ('spec', %s), ('done', '1'), ('seconds', %s)",
            [_spec(articles, claims), f"{time.perf_counter() - began:.0f}"],
        )
    log(
        f"  generated {articles:,} articles, {claims:,} claims "
        f"in {time.perf_counter() - began:.0f} s"
    )


def _fill(url, models, *, articles, claims, seed, reviewers, log) -> None:
    rng = random.Random(seed)
    world = World(seed=seed)
    conns = {
        name: psycopg.connect(url)
        for name in ("article", "claim", "change", "evidence", "match", "cluster")
    }
    for conn in conns.values():
        conn.execute("SET synchronous_commit = off")
    t = {name: Table(conns[name], models[name]) for name in conns}

    claim_id = change_id = evidence_id = match_id = cluster_id = 0
    pending: deque[tuple[Fact, int, int | None, str, int]] = deque()
    # The first CANDIDATE_LIMIT claims stating each restated fact (keyed by its first claim),
    # and whether the fact is evergreen.
    statements: dict[int, list[int]] = {}
    evergreen: dict[int, bool] = {}
    span = timedelta(days=730)
    claims_left = claims
    for a in range(1, articles + 1):
        imported = NOW - span + span * (a / articles) + timedelta(seconds=rng.randint(0, 600))
        outlet = rng.choice(OUTLETS)
        left_articles = articles - a + 1
        mean = claims_left / left_articles
        n = (
            claims_left
            if left_articles == 1
            else max(0, min(claims_left, round(rng.uniform(0.4, 1.6) * mean)))
        )
        claims_left -= n

        # Sentences: a lead filler, then claims each followed by 0-2 fillers.
        sentences: list[tuple[str, dict | None]] = [(world.filler(), None)]
        first_fact = None
        used: set[int] = set()
        for _ in range(n):
            restated = None
            if pending and rng.random() < 0.5 and pending[0][4] < a and pending[0][1] not in used:
                restated = pending.popleft()
                fact_src, src_claim, src_cluster, src_status, _ = restated
                used.add(src_claim)
                conflict = rng.random() < 0.15
                fact = world.restate(fact_src, conflict=conflict)
                figures = [fact_src.slots["n"], fact.slots["n"], "count"]
            else:
                fact = world.new_fact()
            text, claim_type, claimer = render(fact)
            first_fact = first_fact or fact
            info = {"text": text, "type": claim_type, "claimer": claimer or outlet, "fact": fact}
            if restated:
                info["source"] = (src_claim, src_cluster, src_status, conflict)
                info["source_fact"] = fact_src
                info["figures"] = figures
            elif rng.random() < 0.06:
                info["story"] = rng.randint(1, 4)
            sentences.append((text, info))
            for _ in range(rng.choice((0, 1, 1, 2, 2, 3))):
                sentences.append((world.filler(), None))
        sentences.append((world.filler(), None))

        parts: list[str] = []
        pos = 0
        sentence_scores = []
        claim_rows = []
        per_paragraph = rng.randint(2, 3)
        for i, (text, info) in enumerate(sentences):
            if i:
                sep = "\n\n" if i % per_paragraph == 0 else " "
                parts.append(sep)
                pos += len(sep)
            start, end = pos, pos + len(text)
            parts.append(text)
            pos = end
            score = round(rng.uniform(0.5, 0.99), 4) if info else round(rng.uniform(0.01, 0.45), 4)
            sentence_scores.append([start, end, score])
            if info:
                claim_rows.append((start, end, score, info))
        body = "".join(parts)
        title = world.title(first_fact) if first_fact else f"{world.place()} in brief"

        created = imported + timedelta(seconds=rng.randint(5, 120))
        published = imported - timedelta(hours=rng.randint(0, 48))
        t["article"].write(
            {
                "id": a,
                "title": title,
                "body": body,
                "source": outlet,
                "url": f"https://news.example/{outlet.lower().replace(' ', '-')}/{a}",
                "author": world.person(),
                "published_at": published,
                "language": "en",
                "content_hash": hashlib.sha256(
                    " ".join(body.casefold().split()).encode("utf-8")
                ).hexdigest(),
                "imported_at": imported,
                "updated_at": created,
                "proposal_state": "done",
                "proposal_attempts": 1,
                "proposal_queued_at": imported,
                "proposal_started_at": imported,
                "proposal_finished_at": created,
                "proposal_scorer": "bench-generated",
                "proposed_claim_count": len(claim_rows),
                "sentence_scores": json.dumps(sentence_scores),
            }
        )

        for start, end, score, info in claim_rows:
            claim_id += 1
            status = _pick_status(rng)
            version, reviewed_by, reviewed_at, assignee = 1, None, None, None
            cluster, inherited = None, {}
            source = info.get("source")
            if source:
                src_claim, src_cluster, src_status, conflict = source
                earlier = statements[src_claim]
                for other in earlier:
                    match_id += 1
                    t["match"].write(
                        {
                            "id": match_id,
                            "claim_id": other,
                            "other_id": claim_id,
                            "similarity": round(
                                rng.uniform(0.2, 0.5) if conflict else rng.uniform(0.35, 0.95), 3
                            ),
                            "relation": "conflict" if conflict else "same",
                            "details": json.dumps([info["figures"]] if conflict else []),
                            "created_at": created,
                        }
                    )
                if len(earlier) < CANDIDATE_LIMIT:
                    earlier.append(claim_id)
                if rng.random() < RETURN_CHANCE[evergreen[src_claim]]:
                    pending.append((info["source_fact"], src_claim, src_cluster, src_status, a))
                if not conflict:
                    cluster = src_cluster
                    if src_status in ("verified", "disputed", "unconfirmed") and rng.random() < 0.3:
                        status = src_status
                        inherited = {
                            "inherited_from_id": src_claim,
                            "inherited_by_id": rng.choice(reviewers),
                            "inherited_at": created + timedelta(days=1),
                        }
            elif info.get("story"):
                cluster_id += 1
                cluster = cluster_id
                t["cluster"].write({"id": cluster_id, "created_at": created, "updated_at": created})
            changes = []
            if status != "proposed":
                reviewer = rng.choice(reviewers)
                reviewed_by = reviewer
                reviewed_at = created + timedelta(hours=rng.randint(1, 96))
                if status == "verified" and rng.random() < 0.1:
                    changes.append(("proposed", "unconfirmed", reviewed_at - timedelta(hours=1)))
                    changes.append(("unconfirmed", "verified", reviewed_at))
                else:
                    changes.append(("proposed", status, reviewed_at))
                version = 1 + len(changes)
            elif rng.random() < 0.05:
                assignee = rng.choice(reviewers)
                version = 2
            for from_s, to_s, when in changes:
                change_id += 1
                v = changes.index((from_s, to_s, when)) + 2
                t["change"].write(
                    {
                        "id": change_id,
                        "claim_id": claim_id,
                        "from_status": from_s,
                        "to_status": to_s,
                        "changed_by_id": reviewed_by,
                        "changed_at": when,
                        "note": (
                            "Inherited from a matching claim."
                            if inherited
                            else (
                                "Figures differ from the official release."
                                if to_s != "verified"
                                else ""
                            )
                        ),
                        "version": v,
                    }
                )
                if to_s in ("verified", "disputed", "unconfirmed"):
                    for k in range(rng.choice((1, 1, 2))):
                        evidence_id += 1
                        t["evidence"].write(
                            {
                                "id": evidence_id,
                                "claim_id": claim_id,
                                "status_change_id": change_id,
                                "url": f"https://stats.example/release/{claim_id}/{k}",
                                "title": "Official release",
                                "added_by_id": reviewed_by,
                                "added_at": when,
                            }
                        )
            t["claim"].write(
                {
                    "id": claim_id,
                    "article_id": a,
                    "text": info["text"],
                    "start": start,
                    "end": end,
                    "score": score,
                    "claim_type": info["type"],
                    "claimer": info["claimer"][:300],
                    "status": status,
                    "assignee_id": assignee,
                    "reviewed_by_id": reviewed_by,
                    "reviewed_at": reviewed_at,
                    "version": version,
                    "created_at": created,
                    "updated_at": reviewed_at or created,
                    "cluster_id": cluster,
                    "matched_at": created,
                    **inherited,
                    **_deadlines(score, created, status, info["type"], reviewed_at),
                }
            )
            if info.get("story"):
                statements[claim_id] = [claim_id]
                evergreen[claim_id] = rng.random() < EVERGREEN_SHARE
                for _ in range(info["story"]):
                    # Restated in a later article (within the next few hundred).
                    pending.append((info["fact"], claim_id, cluster, status, a))
        if a % 10_000 == 0:
            log(f"    {a:,} articles, {claim_id:,} claims")
    for table in t.values():
        table.close()
    for conn in conns.values():
        conn.close()


def _deadlines(
    score: float, created: datetime, status: str, claim_type: str, reviewed_at: datetime | None
) -> dict:
    """A claim's desk deadline and verdict expiry as claims.deadlines would have set them.

    Every claim got its due time when proposed (score tier, no editor rules); the escalation
    sweep marked the proposed ones past it a few minutes later; verdicts on the expiring types
    expire VERDICT_EXPIRY_DAYS after they were set, and the ones past it were announced.
    """
    from django.conf import settings

    if score >= settings.CLAIM_TIER_HIGH:
        hours = settings.DEADLINE_HOURS_HIGH
    elif score >= settings.CLAIM_TIER_MEDIUM:
        hours = settings.DEADLINE_HOURS_MEDIUM
    else:
        hours = settings.DEADLINE_HOURS_LOW
    due = created + timedelta(hours=hours)
    values: dict = {"due_at": due}
    if status == "proposed" and due < NOW:
        values["escalated_at"] = due + timedelta(minutes=5)
    verdict = status in ("verified", "disputed", "unconfirmed")
    if verdict and reviewed_at and claim_type in settings.VERDICT_EXPIRY_TYPES:
        expires = reviewed_at + timedelta(days=settings.VERDICT_EXPIRY_DAYS)
        values["expires_at"] = expires
        if expires < NOW:
            values["expiry_announced_at"] = expires + timedelta(hours=1)
    return values


def _analyse_chunk(rows: list[tuple[int, str]]) -> list[tuple[int, list[str]]]:
    from extraction.matching import analyse

    return [(pk, sorted({k[:64] for k in analyse(text).keys})) for pk, text in rows]


def _fill_match_index(url: str, models, *, log) -> None:
    """ClaimMatchKey rows from analyse() of every claim, and ClaimMatchTerm counts."""
    from matching.index import N_CLAIMS_KEY

    claim_table = models["claim"]._meta.db_table
    df: dict[str, int] = defaultdict(int)
    n_claims = 0
    processes = max(1, min(int(os.environ.get("BENCH_GEN_PROCESSES", "2")), os.cpu_count() or 1))
    with psycopg.connect(url) as read, psycopg.connect(url) as write:
        write.execute("SET synchronous_commit = off")
        keys = Table(write, models["key"])
        key_id = 0

        def chunks():
            with read.cursor(name="claims") as cur:
                cur.itersize = 5000
                cur.execute(f'SELECT id, text FROM "{claim_table}" ORDER BY id')
                while batch := cur.fetchmany(2000):
                    yield batch

        with Pool(processes) as pool:
            for done in pool.imap(_analyse_chunk, chunks()):
                for pk, claim_keys in done:
                    n_claims += 1
                    for k in claim_keys:
                        key_id += 1
                        keys.copy.write_row((key_id, k, pk))
                        df[k] += 1
                if n_claims % 100_000 < 2000:
                    log(f"    {n_claims:,} claims indexed")
        keys.close()
        terms = Table(write, models["term"])
        for k, v in df.items():
            terms.copy.write_row((k, v))
        terms.copy.write_row((N_CLAIMS_KEY, n_claims))
        terms.close()
