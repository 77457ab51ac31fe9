#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys

# Commands that only read text and write scores: they serve no request and use no secret, so
# newsroom tooling and evaluation scripts can call them without SECRET_KEY or ALLOWED_HOSTS.
OFFLINE_COMMANDS = frozenset(
    {"score_sentences", "propose_claims", "train_claim_model", "retrieve_fact_checks"}
)


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")
    if len(sys.argv) > 1 and sys.argv[1] in OFFLINE_COMMANDS:
        os.environ.setdefault("FACTCHECK_OFFLINE_COMMAND", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
