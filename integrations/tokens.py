"""Generating and checking API token keys: 40 random characters, only their sha256 stored."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import string

KEY_LENGTH = 40
PREFIX_LENGTH = 8
_ALPHABET = string.ascii_letters + string.digits


def generate_key() -> str:
    """A new random key (about 238 bits); its first PREFIX_LENGTH characters are its prefix."""
    return "".join(secrets.choice(_ALPHABET) for _ in range(KEY_LENGTH))


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def key_matches(key: str, key_hash: str) -> bool:
    return hmac.compare_digest(hash_key(key), key_hash)
