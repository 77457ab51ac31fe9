"""Logging helpers: request ids on every record, secret redaction, and a JSON formatter.

Wired up by ``LOGGING`` in settings: ``LOG_FORMAT=json`` gives one JSON object per line (for
log shippers), ``plain`` a readable line. Both carry the request id set by
``factcheck.middleware.RequestIdMiddleware``, and both pass through ``RedactSecretsFilter``.
"""

from __future__ import annotations

import json
import logging
import re
from contextvars import ContextVar
from datetime import UTC, datetime

# The id of the request (or task) being handled in this thread/coroutine; "-" outside one.
request_id_var: ContextVar[str] = ContextVar("request_id", default="-")

REDACTED = "[REDACTED]"

# Each pattern keeps its first group (the label) and replaces the rest with REDACTED.
_SECRET_PATTERNS = [
    # Authorization / Proxy-Authorization headers, whatever the scheme (Token, Bearer, Basic).
    re.compile(r"((?:proxy-)?authorization['\"]?\s*[:=]\s*['\"]?)[^'\",}\n]+", re.IGNORECASE),
    # A bare scheme + credential, e.g. "Token abc..." in an error message.
    re.compile(r"(\b(?:token|bearer|basic)\s+)[A-Za-z0-9._~+/=-]{8,}", re.IGNORECASE),
    # key=value and "key": "value" pairs whose key names a secret.
    re.compile(
        r"((?:secret|password|passwd|api[_-]?key|access[_-]?token|token|signature|csrfmiddlewaretoken)"
        r"['\"]?\s*[:=]\s*['\"]?)[^\s&'\",}]+",
        re.IGNORECASE,
    ),
]


def redact(text: str) -> str:
    """Replace credentials in ``text`` (auth headers, tokens, ``secret=`` values) by REDACTED."""
    for pattern in _SECRET_PATTERNS:
        text = pattern.sub(lambda m: m.group(1) + REDACTED, text)
    return text


class RequestIdFilter(logging.Filter):
    """Put the current request id on every record as ``record.request_id``."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        return True


class RedactSecretsFilter(logging.Filter):
    """Redact credentials from the message and the traceback before any handler formats them."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_info and not record.exc_text:
            # Format the traceback now, so a secret in an exception message is redacted too.
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per record: time, level, logger, message, request_id (+ exc_info)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Python warnings would otherwise reach stderr as bare text between the JSON lines.
        logging.captureWarnings(True)

    def format(self, record: logging.LogRecord) -> str:
        payload = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
        }
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            payload["exc_info"] = record.exc_text
        return json.dumps(payload, ensure_ascii=False, default=str)
