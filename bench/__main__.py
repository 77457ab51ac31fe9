"""``python -m bench [--quick] [--only NAME ...] [--runs N]``: run the suite, write the report.

Runs against PostgreSQL and Redis on this machine, in databases of its own
(``factcheck_bench`` for the 1M-claim archive, ``factcheck_bench_work`` emptied before each
import and worker run; ``_quick`` variants for --quick) on the server of BENCH_DATABASE_URL,
else DATABASE_URL, else postgres://postgres@127.0.0.1:5432, and Redis database 14
(BENCH_BROKER_URL). No other database is touched. Exits 0 whatever the figures: the report says
what passed and what did not.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from bench import core

BENCHMARKS = [
    "import",
    "proposer",
    "article",
    "worker",
    "pages",
    "api",
    "matching",
    "queries",
    "retrieval",
    "dashboard",
    "archive",
]
NO_DATABASE = {"retrieval"}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes, for the CI smoke run")
    parser.add_argument("--only", nargs="+", choices=BENCHMARKS, metavar="NAME")
    parser.add_argument("--runs", type=int, help="repetitions per figure")
    parser.add_argument("--articles", type=int, help="archive size (default 100,000)")
    parser.add_argument("--claims", type=int, help="archive size (default 1,000,000)")
    parser.add_argument("--regenerate", action="store_true", help="rebuild the 1M-claim database")
    parser.add_argument("--report", type=Path, default=core.REPO / "docs" / "BENCHMARKS.md")
    parser.add_argument("--json", type=Path, help="default: benchmarks.json beside the report")
    parser.add_argument(
        "--rerender",
        action="store_true",
        help="only write the Markdown report again from its JSON (after editing bench/FINDINGS.md)",
    )
    args = parser.parse_args(argv)
    if args.rerender:
        core.rerender(args.json or args.report.with_name("benchmarks.json"), args.report)
        print(f"report: {args.report}")
        return 0

    sizes = core.QUICK if args.quick else core.FULL
    if args.runs:
        sizes.runs = args.runs
    if args.articles:
        sizes.articles = args.articles
    if args.claims:
        sizes.claims = args.claims
    suffix = "_quick" if args.quick else ""
    main_url = core.database_url(f"factcheck_bench{suffix}")
    work_url = core.database_url(f"factcheck_bench{suffix}_work")
    os.environ.update(
        {
            k: v
            for k, v in core.bench_env(main_url).items()
            if k
            in (
                "DJANGO_SETTINGS_MODULE",
                "DATABASE_URL",
                "CELERY_BROKER_URL",
                "SECRET_KEY",
                "ALLOWED_HOSTS",
                "DEBUG",
                "FACTCHECK_PLAIN_HTTP",
            )
        }
    )
    started = time.perf_counter()
    info = {
        "started": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "load_start": " / ".join(f"{x:.1f}" for x in core.load_average()),
    }
    print(
        f"bench ({sizes.name}): main database {core.db_name(main_url)}, "
        f"work {core.db_name(work_url)}"
    )
    core.ensure_database(main_url)
    core.ensure_database(work_url)

    import django

    django.setup()
    # The retrieval benchmark reads files only: no archive to migrate or generate for it.
    if set(args.only or BENCHMARKS) - NO_DATABASE:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        from bench import server

        migrated = server.manage(work_url, "migrate", "--noinput", "-v", "0")
        if migrated.returncode:
            raise SystemExit(
                f"could not migrate {core.db_name(work_url)}:\n{migrated.stderr[-3000:]}"
            )
        from bench import datagen

        if args.regenerate or not datagen.meta_matches(main_url, sizes.articles, sizes.claims):
            print(
                f"generating {sizes.articles:,} articles and {sizes.claims:,} claims "
                "(kept for next runs)"
            )
            datagen.generate(main_url, articles=sizes.articles, claims=sizes.claims)
            info["data"] = "generated in this run"
        else:
            info["data"] = "reused from an earlier run"
            print(
                f"reusing {core.db_name(main_url)} "
                f"({sizes.articles:,} articles, {sizes.claims:,} claims)"
            )
        info["generation_s"] = datagen.generation_seconds(main_url)
    else:
        info["data"] = "none needed"

    from bench import archive_speed, dashboard_speed, offline, retrieval_speed, throughput, web

    runners = {
        "import": lambda: throughput.bench_import(sizes, work_url),
        "proposer": lambda: offline.bench_score_sentences(sizes),
        "article": lambda: offline.bench_article(sizes),
        "worker": lambda: throughput.bench_worker(sizes, work_url),
        "pages": lambda: web.bench_pages(sizes),
        "api": lambda: web.bench_api(sizes, main_url),
        "matching": lambda: web.bench_matching(sizes),
        "queries": lambda: web.bench_queries(sizes),
        "retrieval": lambda: retrieval_speed.bench_retrieval(sizes),
        "dashboard": lambda: dashboard_speed.bench_dashboard(sizes),
        "archive": lambda: archive_speed.bench_archive(sizes),
    }
    info.update(core.machine_info(main_url))
    info["load_note"] = os.environ.get("BENCH_LOAD_NOTE", "")
    json_path = args.json or args.report.with_name("benchmarks.json")

    def report() -> None:
        # Written after every benchmark, so an interrupted run still leaves what it measured.
        info["load_end"] = " / ".join(f"{x:.1f}" for x in core.load_average())
        info["took_s"] = time.perf_counter() - started
        core.write_report(
            results, info=info, sizes=sizes, markdown=args.report, data=json_path, argv=argv
        )

    results: list[core.Result] = []
    for name in args.only or BENCHMARKS:
        began = time.perf_counter()
        try:
            produced = runners[name]()
        except Exception as exc:
            import traceback

            traceback.print_exc()
            produced = [
                core.Result(name, name, f"python -m bench --only {name}").unavailable(
                    f"the benchmark raised {exc.__class__.__name__}: {exc}"
                )
            ]
        for result in produced:
            result.seconds = time.perf_counter() - began
            result.notes.append(
                f"Load average (1 min) when it finished: {core.load_average()[0]:.1f} "
                f"on {os.cpu_count()} cores."
            )
            for figure in result.figures:
                figure.judge()
            core.print_result(result)
            results.append(result)
        report()
    print(f"\nreport: {args.report} and {json_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
