"""Integers from request input (query strings, headers, form fields): ASCII digits only.

``str.isdigit()`` is true for "²" and "①", which ``int()`` refuses (a 500), and ``int()``
itself accepts "١٢", " 12 ", "+12" and "1_2". Every id, version, page or cursor a request
carries goes through here instead.
"""

from __future__ import annotations

import re

# The largest value of a bigint primary key; anything past it would overflow in the database.
MAX_ID = 2**63 - 1
# Versions and page sizes are integer columns or small numbers.
MAX_INT32 = 2**31 - 1

_ASCII_DIGITS = re.compile(r"[0-9]{1,19}")


def is_ascii_int(value: object) -> bool:
    """True when ``value`` is a string of 1 to 19 ASCII digits and nothing else."""
    return isinstance(value, str) and _ASCII_DIGITS.fullmatch(value) is not None


def parse_int(value: object, *, minimum: int = 1, maximum: int = MAX_ID) -> int | None:
    """``value`` as an int in [minimum, maximum] if it is ASCII digits, else None."""
    if not is_ascii_int(value):
        return None
    number = int(value)
    return number if minimum <= number <= maximum else None
