"""Container health checks from the command line: ``python -m factcheck.probe CHECK``.

``readiness`` runs the same checks as /readyz; ``heartbeat`` only the worker heartbeat (the
beat container's check: beat schedules the heartbeat, so a stale one means beat or every
worker stopped). Exits 0 when healthy, 1 otherwise, printing the checks as JSON.
"""

from __future__ import annotations

import json
import os
import sys


def main(argv: list[str]) -> int:
    """Run one named probe and return the process exit status."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")
    import django

    django.setup()
    from factcheck import health

    check = argv[0] if argv else "readiness"
    if check == "readiness":
        ok, checks = health.readiness()
    elif check == "heartbeat":
        try:
            checks = {"worker": health._check_worker()}
            ok = True
        except Exception as exc:
            checks, ok = {"worker": f"error: {exc}"}, False
    else:
        print(f"unknown check {check!r}: use readiness or heartbeat", file=sys.stderr)
        return 2
    print(json.dumps({"status": "ok" if ok else "unavailable", "checks": checks}))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
