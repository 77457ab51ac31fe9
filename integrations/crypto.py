"""Encryption of webhook secrets at rest, with keys derived from SECRET_KEY.

A webhook secret has to be recovered to sign each delivery, so unlike an API token it cannot
be stored as a hash. It is encrypted with Fernet (AES-128-CBC + HMAC-SHA256) under a key derived
from SECRET_KEY; SECRET_KEY_FALLBACKS still decrypt, so the key can be rotated.
"""

from __future__ import annotations

import base64

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.utils.crypto import salted_hmac

_SALT = "factcheck.integrations.webhook-secret"


def _fernet(secret_key: str) -> Fernet:
    raw = salted_hmac(_SALT, "fernet-key", secret=secret_key, algorithm="sha256").digest()
    return Fernet(base64.urlsafe_b64encode(raw))


def _keys() -> MultiFernet:
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return MultiFernet([_fernet(s) for s in secrets])


def encrypt_secret(plain: str) -> str:
    """Encrypt a webhook secret for storage."""
    return _keys().encrypt(plain.encode("utf-8")).decode("ascii")


def decrypt_secret(token: str) -> str:
    """Decrypt a stored webhook secret; raises ValueError if no known key opens it."""
    try:
        return _keys().decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken as exc:
        raise ValueError("The webhook secret cannot be decrypted with SECRET_KEY") from exc
