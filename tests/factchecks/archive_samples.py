"""Small archive files, written for these tests, in every format the importer reads."""

from __future__ import annotations

import json

RECORDS = [
    {
        "id": "fc-1",
        "claim": "The city council spent 4 million dollars on the new flood wall in 2023.",
        "title": "No, the flood wall did not cost 4 million dollars",
        "rating": "False",
        "url": "https://checker.example/flood-wall",
        "author": "Harbour Checks",
        "date": "2024-02-03",
    },
    {
        "id": "fc-2",
        "claim": "Unemployment in the region fell to 3 percent last year.",
        "title": "Regional unemployment did fall, to 3.1 percent",
        "rating": "Mostly true",
        "url": "https://checker.example/unemployment",
        "author": "Harbour Checks",
        "date": "2024-01-10",
    },
    {
        "id": "fc-3",
        "claim": "Drinking hot water cures the common cold within a day.",
        "title": "Hot water does not cure colds",
        "rating": "False",
        "url": "https://other.example/hot-water",
        "author": "Other Desk",
        "date": "March 4, 2023",
    },
    {
        "id": "fc-4",
        "claim": "The harbour bridge was closed for 40 days because of cracks in its pillars.",
        "title": "Bridge closure: the real reason",
        "rating": "Misleading",
        "url": "https://other.example/bridge",
        "author": "Other Desk",
        "date": "2023-11-20",
    },
]


def jsonl(records=RECORDS) -> bytes:
    return "".join(json.dumps(r) + "\n" for r in records).encode()


def csv_bytes(records=RECORDS) -> bytes:
    import csv
    import io

    out = io.StringIO()
    writer = csv.DictWriter(
        out, fieldnames=["id", "claim", "title", "rating", "url", "author", "date"]
    )
    writer.writeheader()
    writer.writerows(records)
    return out.getvalue().encode()


def claim_review(r: dict) -> dict:
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": r["url"],
        "claimReviewed": r["claim"],
        "name": r["title"],
        "datePublished": r["date"],
        "author": {"@type": "Organization", "name": r["author"]},
        "reviewRating": {"@type": "Rating", "alternateName": r["rating"]},
    }


def feed(records=RECORDS) -> bytes:
    return json.dumps(
        {
            "@context": "https://schema.org",
            "@type": "DataFeed",
            "dataFeedElement": [claim_review(r) for r in records],
        }
    ).encode()


def page(records=RECORDS) -> bytes:
    scripts = "".join(
        f'<script type="application/ld+json">{json.dumps(claim_review(r))}</script>'
        for r in records
    )
    head = f"<head><title>Checks</title>{scripts}</head>"
    return f"<!doctype html><html>{head}<body>x</body></html>".encode()
