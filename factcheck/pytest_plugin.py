"""Loaded by pytest before Django settings (``-p factcheck.pytest_plugin`` in pyproject).

Gives a bare test run the few values production settings insist on, without turning DEBUG
on: tests run with production-like settings. Values already in the environment win.
"""

import os

os.environ.setdefault("SECRET_KEY", "test-only-insecure-secret-key-0123456789-abcdefghijklmnop")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("DEBUG", "0")
