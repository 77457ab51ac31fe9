"""Reviewer pages, API under load, claim matching and SQL query counts, on the 1M-claim database."""

from __future__ import annotations

import http.client
import random
import shutil
import statistics
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

from bench import core, server


def _reviewer():
    from django.contrib.auth.models import User

    return User.objects.filter(username__startswith="bench-reviewer-").order_by("pk").first()


def _busy_article() -> int:
    from django.db.models import Count

    from articles.models import Article

    return (
        Article.objects.annotate(n=Count("claims"))
        .order_by("-n", "pk")
        .values_list("pk", flat=True)
        .first()
    )


def _page_figure(client, url: str, label: str, runs: int, target: str) -> core.Figure:
    figure = core.Figure(label, "ms", target=target)
    response = client.get(url)  # warm-up: template loading, first connection
    if response.status_code != 200:
        figure.note = f"GET {url} -> {response.status_code}"
        return figure
    # Bounded in time too: a slow page gets at least 5 requests, then stops after 20 s.
    stop = time.perf_counter() + 20
    for i in range(runs):
        began = time.perf_counter()
        response = client.get(url)
        figure.values.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        if i >= 4 and time.perf_counter() > stop:
            break
    figure.note = f"GET {url}"
    return figure


def bench_pages(sizes: core.Sizes) -> list[core.Result]:
    from django.test import Client

    from claims.models import Claim

    result = core.Result(
        "pages",
        "Reviewer pages (server time)",
        "python -m bench --only pages",
    )
    user = _reviewer()
    if user is None:
        return [result.unavailable("no bench reviewer in the database")]
    client = Client()
    client.force_login(user)
    article = _busy_article()
    claim = (
        Claim.objects.filter(article_id=article)
        .order_by("start")
        .values_list("pk", flat=True)
        .first()
    )
    source = "Harbour Herald"
    reps = sizes.runs * 10
    result.figures = [
        _page_figure(client, "/", "queue, first page", reps, "< 150"),
        _page_figure(client, "/?status=verified", "queue, status=verified", reps, "< 150"),
        _page_figure(
            client,
            f"/?source={source.replace(' ', '+')}&claim_type=quantity",
            "queue, source + type",
            reps,
            "< 150",
        ),
        _page_figure(
            client, "/?assignee=unassigned&status=proposed", "queue, unassigned", reps, "< 150"
        ),
        _page_figure(client, "/?q=evacuated", "queue, text search", reps, "< 150"),
        _page_figure(client, "/?sort=due", "queue, due soonest", reps, "< 150"),
        _page_figure(
            client, "/?due=overdue&sort=due", "overdue queue (due soonest)", reps, "< 150"
        ),
        _page_figure(client, "/?due=overdue", "overdue queue (best score)", reps, "< 150"),
        _page_figure(client, "/recheck/", "due for re-check", reps, "< 150"),
        _page_figure(client, f"/articles/{article}/", "article page (most claims)", reps, "< 150"),
        _page_figure(client, f"/claims/{claim}/", "claim page", reps, "< 150"),
    ]
    result.notes.append(
        f"Up to {reps} requests each (at least 5, at most 20 s) after a warm-up, through "
        "Django's test client in-process (server time: middleware, views, queries, templates; "
        "no network), logged in as a reviewer."
    )
    return [result]


# --- API under load ---------------------------------------------------------------------------

_LUA = """
done = function(summary, latency, requests)
  io.write(string.format("BENCH %d %d %d %d %d %d\\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(95), latency:percentile(99),
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.timeout))
end
"""


def _wrk(url: str, headers: dict, seconds: float, connections: int) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(_LUA)
    cmd = [
        "wrk",
        "-t",
        "1",
        "-c",
        str(connections),
        "-d",
        f"{max(1, round(seconds))}s",
        "-s",
        f.name,
    ]
    for k, v in headers.items():
        cmd += ["-H", f"{k}: {v}"]
    out = subprocess.run([*cmd, url], capture_output=True, text=True, timeout=seconds + 60)
    Path(f.name).unlink()
    line = next(line for line in out.stdout.splitlines() if line.startswith("BENCH"))
    reqs, dur_us, p50, p95, p99, errors = (int(x) for x in line.split()[1:])
    return {
        "rps": reqs / (dur_us / 1e6),
        "p50": p50 / 1000,
        "p95": p95 / 1000,
        "p99": p99 / 1000,
        "errors": errors,
        "requests": reqs,
    }


def _threaded(url: str, headers: dict, seconds: float, connections: int) -> dict:
    """A bounded keep-alive load generator for machines without wrk."""
    parts = urlsplit(url)
    path = parts.path + ("?" + parts.query if parts.query else "")
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop = time.perf_counter() + seconds

    def run():
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        mine = []
        while time.perf_counter() < stop and len(mine) < 100_000:
            t = time.perf_counter()
            conn.request("GET", path, headers=headers)
            resp = conn.getresponse()
            resp.read()
            mine.append((time.perf_counter() - t) * 1000)
            if resp.status != 200:
                errors[0] += 1
        conn.close()
        with lock:
            latencies.extend(mine)

    began = time.perf_counter()
    threads = [threading.Thread(target=run) for _ in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - began
    latencies.sort()
    q = lambda p: latencies[min(len(latencies) - 1, int(len(latencies) * p))]  # noqa: E731
    return {
        "rps": len(latencies) / wall,
        "p50": q(0.5),
        "p95": q(0.95),
        "p99": q(0.99),
        "errors": errors[0],
        "requests": len(latencies),
    }


def _server_times(access: Path, offset: int) -> list[float]:
    """Sorted server times (ms) of the 200 responses logged after offset."""
    with access.open("rb") as f:
        f.seek(offset)
        lines = f.read().decode(errors="replace").splitlines()
    times = []
    for line in lines:
        parts = line.split()
        if len(parts) == 4 and parts[2] == "200":
            times.append(int(parts[3]) / 1000)
    return sorted(times)


def bench_api(sizes: core.Sizes, main_url: str) -> list[core.Result]:
    from django.db.models import Max

    from claims.models import Claim

    use_wrk = shutil.which("wrk") is not None
    load = _wrk if use_wrk else _threaded
    connections = 4
    tool = f"wrk -t1 -c{connections}" if use_wrk else f"a {connections}-thread keep-alive client"
    token = server.create_token(main_url, "read")
    auth = {"Authorization": f"Token {token}"}
    # The changes feed read from a point with plenty of changes after it: a month back.
    newest = Claim.objects.aggregate(m=Max("updated_at"))["m"]
    after = (
        (newest.replace(microsecond=0) - __import__("datetime").timedelta(days=30))
        .isoformat()
        .replace("+00:00", "Z")
    )
    targets = {
        "bare": ("/bench/bare/claims/?status=proposed", {}),
        "list": ("/api/v1/claims/?status=proposed", auth),
        "changes": (f"/api/v1/claims/changes/?updated_after={after}", auth),
    }
    stats = {k: {m: [] for m in ("rps", "p50", "p95", "p99", "s50", "s95", "s99")} for k in targets}
    ratio = {"list": [], "changes": []}
    errors = {k: 0 for k in targets}
    access = Path(tempfile.mkstemp(prefix="bench-access-", suffix=".log")[1])
    with server.gunicorn(main_url, workers=2, access_log=access) as base:
        for path, headers in targets.values():  # warm every worker's connection and caches
            load(base + path, headers, 1, connections)
        for _ in range(sizes.runs):
            round_rps = {}
            for name, (path, headers) in targets.items():
                offset = access.stat().st_size
                got = load(base + path, headers, sizes.requests_seconds, connections)
                time.sleep(0.2)  # the last access-log lines
                server_ms = _server_times(access, offset)
                for m in ("rps", "p50", "p95", "p99"):
                    stats[name][m].append(got[m])
                for m, q in (("s50", 0.5), ("s95", 0.95), ("s99", 0.99)):
                    if server_ms:
                        stats[name][m].append(
                            server_ms[min(len(server_ms) - 1, int(len(server_ms) * q))]
                        )
                errors[name] += got["errors"]
                round_rps[name] = got["rps"]
            for name in ratio:
                ratio[name].append(100 * round_rps[name] / round_rps["bare"])
    access.unlink()
    results = []
    for name, title, path in [
        ("list", "API: GET /api/v1/claims/?status=proposed (50 rows)", targets["list"][0]),
        ("changes", "API: changes feed (50 rows)", targets["changes"][0]),
        ("bare", "Bare Django JSON view, same 50 rows (reference)", targets["bare"][0]),
    ]:
        r = core.Result(
            name,
            title,
            f"python -m bench --only api  # {tool}, {sizes.requests_seconds:.0f} s per round, "
            "gunicorn -w 2",
        )
        s = stats[name]
        r.figures = [
            core.Figure("server time p50", "ms", s["s50"]),
            core.Figure("server time p95", "ms", s["s95"], target="< 50" if name != "bare" else ""),
            core.Figure("server time p99", "ms", s["s99"]),
            core.Figure("client latency p50 (wrk, loopback)", "ms", s["p50"]),
            core.Figure("client latency p95", "ms", s["p95"]),
            core.Figure("client latency p99", "ms", s["p99"]),
            core.Figure("throughput", "requests/s", s["rps"]),
        ]
        if name in ratio:
            r.figures.append(
                core.Figure(
                    "throughput as % of the bare view, same round", "%", ratio[name], target=">= 50"
                )
            )
        r.notes.append(f"GET {path}; {errors[name]} non-200 responses or socket errors")
        if name != "bare":
            r.notes.append(
                "Token auth (read scope); throttling lifted by bench.settings so the server, "
                "not the rate limit, is measured."
            )
        results.append(r)
    results[-1].notes.append(
        "bench/bare.py: the same filter and ordering via .values(), JsonResponse, no auth, no DRF. "
        "Server time is gunicorn's own per-request time (access log %(D)s); client latency "
        "includes queueing behind the 2 sync workers (4 connections); load generator and "
        "server share the 2 cores."
    )
    return results


# --- Matching ---------------------------------------------------------------------------------


def bench_matching(sizes: core.Sizes) -> list[core.Result]:
    result = core.Result(
        "matching",
        "Claim matching: one new claim against the archive",
        "python -m bench --only matching",
    )
    try:
        from extraction.matching import analyse, compare
        from matching.index import MatchOptions, archive_weight, claim_candidates
    except ImportError as exc:
        return [result.unavailable(f"matching code missing: {exc}")]
    from bench.textgen import World, render
    from claims.models import Claim
    from matching.models import ClaimMatchKey

    if not ClaimMatchKey.objects.exists():
        return [result.unavailable("the match index (ClaimMatchKey) is empty")]
    options = MatchOptions.from_settings()
    rng = random.Random(5)
    world = World(seed=42)  # the archive's own world: new claims name its places and people
    world.rng = random.Random(99)
    top = Claim.objects.order_by("-pk").values_list("pk", flat=True).first()
    n = sizes.runs * 40
    existing = list(
        Claim.objects.filter(pk__in=[rng.randint(1, top) for _ in range(n // 2)]).values_list(
            "text", flat=True
        )
    )
    probes = existing + [render(world.new_fact())[0] for _ in range(n - len(existing))]
    rng.shuffle(probes)

    def match_one(text: str) -> int:
        sig = analyse(text)
        found = claim_candidates(sig=sig, exclude_article_id=None, options=options)
        others = [analyse(c.text) for c in found]
        weight = archive_weight([sig, *others])
        for other in others:
            compare(sig, other, weight=weight)
        return len(found)

    match_one(probes[0])
    timings, candidates = [], []
    for text in probes:
        began = time.perf_counter()
        candidates.append(match_one(text))
        timings.append((time.perf_counter() - began) * 1000)
    timings_sorted = sorted(timings)
    f = core.Figure("per new claim (analyse, index lookup, compare)", "ms", timings, target="< 50")
    f.note = (
        f"p95 {timings_sorted[int(len(timings) * 0.95) - 1]:.1f} ms; "
        f"{statistics.mean(candidates):.0f} candidates compared on average"
    )
    result.figures = [f]
    result.notes.append(
        f"{len(probes)} claims: half restate archive claims (so they have matches), half new "
        f"facts; {Claim.objects.count():,} claims indexed; same steps as bench/match_speed.py."
    )
    return [result]


# --- SQL queries per request ------------------------------------------------------------------


def bench_queries(sizes: core.Sizes) -> list[core.Result]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from articles.models import Article
    from integrations.services import api_token_create

    result = core.Result(
        "queries",
        "SQL queries per request (small vs large page)",
        "python -m bench --only queries",
    )
    from integrations.models import WebhookSubscription
    from integrations.services import webhook_subscription_create

    for i in range(WebhookSubscription.objects.count(), 60):
        # Inactive, at a public address literal (the SSRF guard refuses loopback): never sent.
        webhook_subscription_create(
            name=f"bench hook {i}", url=f"https://93.184.216.34/{i}", active=False
        )
    from django.contrib.auth.models import User

    # An admin token can review, so it belongs to a person (the verdict policy): a superuser.
    admin, _ = User.objects.get_or_create(
        username="bench-admin", defaults={"is_staff": True, "is_superuser": True}
    )
    token = api_token_create(name="bench queries", scope="admin", user=admin).key
    api = Client(HTTP_AUTHORIZATION=f"Token {token}")
    page = Client()
    page.force_login(_reviewer())
    big = _busy_article()
    small = (
        Article.objects.filter(claims__isnull=False)
        .order_by("proposed_claim_count", "pk")
        .values_list("pk", flat=True)
        .first()
    )
    cases = [
        (api, "/api/v1/claims/?page_size={n}"),
        (api, "/api/v1/claims/?status=verified&page_size={n}"),
        (api, "/api/v1/claims/changes/?page_size={n}"),
        (api, "/api/v1/articles/?page_size={n}"),
        (api, "/api/v1/webhooks/?page_size={n}"),
    ]
    for client, template in cases:
        counts, rows = [], []
        for n in (5, 50):
            url = template.format(n=n)
            client.get(url)
            with CaptureQueriesContext(connection) as captured:
                response = client.get(url)
            counts.append(len(captured))
            rows.append(
                len(response.json().get("results", []))
                if response.status_code == 200
                else f"HTTP {response.status_code}"
            )
        result.figures.append(
            _constant(template.format(n="5 vs 50"), counts, f"rows {rows[0]} vs {rows[1]}")
        )
    # Pages: the queue's page size is fixed (50), so vary the rows by filter instead.
    for label, urls in [
        (
            "queue page: one article's claims vs first page",
            [f"/?article={small}&status=all", "/?status=all"],
        ),
        ("article page: fewest vs most claims", [f"/articles/{small}/", f"/articles/{big}/"]),
    ]:
        counts = []
        for url in urls:
            page.get(url)
            with CaptureQueriesContext(connection) as captured:
                response = page.get(url)
            counts.append(len(captured) if response.status_code == 200 else -response.status_code)
        result.figures.append(_constant(label, counts, " vs ".join(urls)))
    result.notes.append("Each figure: queries at the small and at the large size; PASS when equal.")
    return [result]


def _constant(name: str, counts: list[int], note: str) -> core.Figure:
    f = core.Figure(name, "queries", [float(c) for c in counts], note=note)
    f.judge = lambda f=f: _judge_constant(f)  # type: ignore[method-assign]
    return f


def _judge_constant(f: core.Figure) -> core.Figure:
    f.target = "constant"
    f.status = "PASS" if len(set(f.values)) == 1 and min(f.values) > 0 else "FAIL"
    return f
