"""Python implementations of the clue functions that Spark SQL has no same-meaning form for, registered by the job as
`clue_<name>` UDFs. Each one follows clue's JavaScript implementation (src/expr/functions/) exactly: the same
result for the same arguments, null for a null argument (unless the function handles nulls itself), null for
input it cannot use, never an exception. A test runs both on thousands of generated values.

Values arrive as Spark gives them to Python: str, int, float, bool, None, lists.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Callable

from clue_json import js_number, to_json
from pyspark.sql.types import BooleanType, DataType, DoubleType, StringType

# JavaScript's \s and String.prototype.trim: WhiteSpace and LineTerminator.
JS_SPACE = "\t\n\x0b\x0c\r \xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
_SPACE_CLASS = "[" + re.escape(JS_SPACE) + "]"

# Edit distances are quadratic: past this many code points clue gives null.
MAX_COMPARED = 10_000


@dataclass(frozen=True)
class Udf:
    fn: Callable
    returns: DataType


def as_text(value) -> str | None:
    """clue's asText: strings as they are, finite numbers and booleans as JavaScript prints them, else null."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return to_json(value)
    if isinstance(value, float):
        text = js_number(value)
        return None if text == "null" else text
    return None


def js_trim(text: str) -> str:
    return text.strip(JS_SPACE)


def text_function(apply: Callable[[str], object]) -> Callable:
    """A function of one text: numbers and booleans are turned into text first; null and anything else give null."""

    def call(value):
        text = as_text(value)
        return None if text is None else apply(text)

    return call


def js_lower(text: str) -> str:
    # Python's lower() is Unicode's full case mapping, as JavaScript's toLowerCase is, except for the final sigma
    # rule (both apply it) and İ (both give i + U+0307).
    return text.lower()


def js_upper(text: str) -> str:
    return text.upper()


# --- text ----------------------------------------------------------------------------------------------------------

_WORD_BOUNDARY = frozenset(JS_SPACE + "'’-")


def title_case(text: str) -> str:
    # clue replaces /(^|[\s'’-])(\p{L})/gu: a letter at the start or after whitespace, a hyphen or an apostrophe is
    # uppercased. Matches cannot overlap in a way that matters (the character before is never a letter), so a walk
    # over the lowercased code points gives the same text.
    lowered = js_lower(text)
    out = []
    for i, c in enumerate(lowered):
        if (i == 0 or lowered[i - 1] in _WORD_BOUNDARY) and unicodedata.category(c)[0] == "L":
            out.append(js_upper(c))
        else:
            out.append(c)
    return "".join(out)


_LIGATURES = {
    "ø": "o", "Ø": "O", "ß": "ss", "ẞ": "SS", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "đ": "d", "Đ": "D",
    "ł": "l", "Ł": "L", "þ": "th", "Þ": "TH", "ð": "d", "Ð": "D", "ħ": "h", "Ħ": "H", "ı": "i",
}  # fmt: skip
_LIGATURE = re.compile("[" + "".join(_LIGATURES) + "]")


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    bare = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    return unicodedata.normalize("NFC", _LIGATURE.sub(lambda m: _LIGATURES[m.group(0)], bare))


# --- e-mail --------------------------------------------------------------------------------------------------------

_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_EMAIL = re.compile(rf"{_ATOM}(?:\.{_ATOM})*@{_LABEL}(?:\.{_LABEL})+")


def is_email(text: str) -> bool:
    at = text.rfind("@")
    return len(text) <= 254 and 0 < at <= 64 and _EMAIL.fullmatch(text) is not None


def email_domain(text: str):
    return text[text.rfind("@") + 1 :].lower() if is_email(text) else None


# --- phone numbers -------------------------------------------------------------------------------------------------


def _parse_valid_phone(value, country):
    import phonenumbers

    text = as_text(value)
    code = None if country is None else as_text(country)
    if text is None or (country is not None and code is None):
        return None
    if code is not None:
        code = js_upper(js_trim(code))
        if code not in phonenumbers.SUPPORTED_REGIONS:
            return None
    try:
        parsed = phonenumbers.parse(text, code)
    except phonenumbers.NumberParseException:
        return None
    return parsed if phonenumbers.is_valid_number(parsed) else None


def to_e164(value, country=None):
    import phonenumbers

    parsed = _parse_valid_phone(value, country)
    return None if parsed is None else phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def phone_country(value, country=None):
    import phonenumbers

    parsed = _parse_valid_phone(value, country)
    return None if parsed is None else phonenumbers.region_code_for_number(parsed)


# --- similarity ----------------------------------------------------------------------------------------------------


def _pair(compare: Callable) -> Callable:
    def call(x, y):
        a = as_text(x)
        b = as_text(y)
        if a is None or b is None or len(a) > MAX_COMPARED or len(b) > MAX_COMPARED:
            return None
        return compare(a, b)

    return call


def _jaro(a: str, b: str) -> float:
    la, lb = len(a), len(b)
    if la == 0 and lb == 0:
        return 1.0
    if la == 0 or lb == 0:
        return 0.0
    window = max(0, max(la, lb) // 2 - 1)
    a_seen = [False] * la
    b_seen = [False] * lb
    matches = 0
    for i, c in enumerate(a):
        for j in range(max(0, i - window), min(lb - 1, i + window) + 1):
            if not b_seen[j] and b[j] == c:
                a_seen[i] = b_seen[j] = True
                matches += 1
                break
    if matches == 0:
        return 0.0
    half = 0
    k = 0
    for i in range(la):
        if not a_seen[i]:
            continue
        while not b_seen[k]:
            k += 1
        if a[i] != b[k]:
            half += 1
        k += 1
    m = matches
    return (m / la + m / lb + (m - half // 2) / m) / 3


def jaro_winkler(a: str, b: str) -> float:
    value = _jaro(a, b)
    if value <= 0.7:
        return value
    prefix = 0
    while prefix < 4 and prefix < len(a) and prefix < len(b) and a[prefix] == b[prefix]:
        prefix += 1
    return min(1.0, value + prefix * 0.1 * (1 - value))


_SOUNDEX = {c: group[0] for group in ("1BFPV", "2CGJKQSXZ", "3DT", "4L", "5MN", "6R") for c in group[1:]}
_NOT_AZ = re.compile("[^A-Z]")


def soundex(text: str):
    letters = _NOT_AZ.sub("", js_upper(unicodedata.normalize("NFD", text)))
    if letters == "":
        return None
    code = letters[0]
    previous = _SOUNDEX.get(letters[0], "")
    for letter in letters[1:]:
        if letter in "HW":
            continue
        digit = _SOUNDEX.get(letter, "")
        if digit != "" and digit != previous:
            code += digit
        if len(code) == 4:
            break
        previous = digit
    return code.ljust(4, "0")


# --- the registry ------------------------------------------------------------------------------------------------

STRING = StringType()
NUMBER = DoubleType()
BOOLEAN = BooleanType()

UDFS: dict[str, Udf] = {
    "title_case": Udf(text_function(title_case), STRING),
    "strip_accents": Udf(text_function(strip_accents), STRING),
    "to_string": Udf(text_function(lambda text: text), STRING),
    "is_email": Udf(text_function(is_email), BOOLEAN),
    "email_domain": Udf(text_function(email_domain), STRING),
    "to_e164": Udf(to_e164, STRING),
    "e164": Udf(to_e164, STRING),
    "phone_country": Udf(phone_country, STRING),
    "jaro_winkler": Udf(_pair(jaro_winkler), NUMBER),
    "soundex": Udf(text_function(soundex), STRING),
}
