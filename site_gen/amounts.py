"""Money amounts: the limit, exact JSON numbers and totals that stay within the limit.

An amount is a ``Decimal`` from the YAML to every output. JSON has no decimal type and pydantic
writes a ``Decimal`` as a string (or, through a float, rounded: ``12345678901234567.25`` became
``1.2345678901234568e+16``), so ``briefing.json`` is written with a marker in place of each
amount that :func:`exact_json_numbers` then replaces by the amount's exact digits, a JSON number.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from pydantic_core import PydanticCustomError

MAX_AMOUNT = Decimal(10) ** 18
"""Every amount, and every total of amounts, is below this (more money than exists)."""

# U+0000 cannot occur in validated text (the model refuses control characters), so no text
# can produce the marker's JSON spelling, ``"\u0000amount:``.
_MARKER = "\x00amount:"
_MARKED = re.compile(rb'"\\u0000amount:(-?[0-9]+(?:\.[0-9]+)?)"')


def check_amount(value: int | Decimal) -> Decimal:
    """A number from the YAML as an amount: finite, not negative, below 10^18. Minus zero is
    zero (``-0.0`` would otherwise be shown as "about -$0")."""
    amount = Decimal(value)
    if not amount.is_finite() or amount < 0 or amount >= MAX_AMOUNT:
        raise PydanticCustomError("amount_range", "expected a non-negative amount below 10^18, received {got}",
                                  {"got": _shown(value)})
    return amount.copy_abs() if amount.is_zero() else amount


def _shown(value: Any) -> str:
    return str(value)


def decimal_text(value: Decimal) -> str:
    """The exact digits of ``value``, never in exponent form: ``18000000000``, ``0.25``."""
    if value == value.to_integral_value():
        return format(value.quantize(Decimal(1)), "f")
    return format(value.normalize(), "f")


def json_amount(value: Decimal) -> object:
    """How an amount is serialised: an int when whole (exact in JSON already), else a marker
    that :func:`exact_json_numbers` turns into the exact JSON number."""
    if value == value.to_integral_value():
        return int(value)
    return _MARKER + decimal_text(value)


def exact_json_numbers(data: bytes) -> bytes:
    """JSON written by pydantic with every amount marker replaced by its exact number."""
    return _MARKED.sub(lambda match: match.group(1), data)


def is_marked(value: object) -> bool:
    return isinstance(value, str) and value.startswith(_MARKER)


def unmark(value: object) -> object:
    """A ``model_dump(mode="json")`` value with markers turned back into ``Decimal``."""
    if is_marked(value):
        return Decimal(str(value)[len(_MARKER):])
    if isinstance(value, dict):
        return {key: unmark(item) for key, item in value.items()}
    if isinstance(value, list):
        return [unmark(item) for item in value]
    return value
