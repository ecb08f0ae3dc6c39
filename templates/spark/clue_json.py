"""JSON text exactly as clue's JavaScript engine writes it (JSON.stringify), for the rows a job outputs.

clue's contract is byte-identical output across engines, so numbers are printed as JavaScript prints them (1 not
1.0, 1e+21, 1e-7, never -0), strings are escaped as JSON.stringify escapes them, and keys keep their order.
Python's own json module differs on numbers only: its float repr says 1.0, 1e-07 and 1e+16.
"""

from __future__ import annotations

import datetime
import decimal
import json
import math

# JSON.stringify's string escapes are json.dumps's with ensure_ascii=False: \" \\ \b \f \n \r \t, \u00XX (lower
# case) for the other control characters, and nothing else (U+007F, U+2028 and non-ASCII text are kept as they are).
_encode_string = json.encoder.encode_basestring  # type: ignore[attr-defined]

# Integers beyond 2^53 are not all doubles: JavaScript would hold the nearest double, and print that.
_EXACT = 2**53


def js_number(x: float) -> str:
    """A double as JavaScript's Number.prototype.toString prints it; NaN and the infinities as JSON's null."""
    if math.isnan(x) or math.isinf(x):
        return "null"
    if x == 0:
        return "0"
    # repr gives the shortest digits that read back as x, which is what ECMAScript asks for too; only the layout
    # (where the point goes, when to switch to an exponent, how to write it) differs.
    text = repr(abs(x))
    mantissa, _, exp = text.partition("e")
    whole, _, fraction = mantissa.partition(".")
    if fraction == "0":
        fraction = ""
    digits = (whole + fraction).lstrip("0")
    leading = len(whole + fraction) - len(digits)
    digits = digits.rstrip("0")
    # x = 0.DIGITS * 10^point
    point = len(whole) + (int(exp) if exp else 0) - leading
    k = len(digits)
    if k <= point <= 21:
        body = digits + "0" * (point - k)
    elif 0 < point <= 21:
        body = digits[:point] + "." + digits[point:]
    elif -6 < point <= 0:
        body = "0." + "0" * (-point) + digits
    else:
        e = point - 1
        body = digits[0] + ("." + digits[1:] if k > 1 else "") + "e" + ("+" if e >= 0 else "-") + str(abs(e))
    return ("-" if x < 0 else "") + body


def to_json(value: object) -> str:
    """A value as JSON.stringify writes it: Spark Rows and dicts as objects in their key order, lists as arrays."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, str):
        return _encode_string(value)
    if isinstance(value, int):
        return str(value) if -_EXACT <= value <= _EXACT else js_number(float(value))
    if isinstance(value, float):
        return js_number(value)
    if isinstance(value, decimal.Decimal):
        return js_number(float(value))
    # A Spark Row (a struct) is a tuple with field names; check it before plain tuples.
    fields = getattr(value, "__fields__", None)
    if fields is not None:
        return "{" + ",".join(_encode_string(k) + ":" + to_json(v) for k, v in zip(fields, value)) + "}"
    if isinstance(value, dict):
        return "{" + ",".join(_encode_string(str(k)) + ":" + to_json(v) for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(to_json(v) for v in value) + "]"
    if isinstance(value, datetime.datetime):
        return _encode_string(value.isoformat())
    if isinstance(value, datetime.date):
        return _encode_string(value.isoformat())
    if isinstance(value, (bytes, bytearray)):
        return _encode_string(bytes(value).decode("utf-8", "replace"))
    raise TypeError(f"clue_json: cannot write a {type(value).__name__} as JSON")
