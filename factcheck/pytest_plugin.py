"""Loaded by pytest before Django settings (``-p factcheck.pytest_plugin`` in pyproject).

Gives a bare test run the few values production settings insist on, without turning DEBUG
on: tests run with production-like settings. Values already in the environment win. The test
client speaks plain HTTP, and a bare machine has no PostgreSQL or Redis: the run opts out of
the HTTPS defaults and into embedded mode (tests/deploy/test_settings.py checks production's).
"""

import os

os.environ.setdefault("SECRET_KEY", "test-only-insecure-secret-key-0123456789-abcdefghijklmnop")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("FACTCHECK_PLAIN_HTTP", "1")
os.environ.setdefault("FACTCHECK_EMBEDDED", "1")
