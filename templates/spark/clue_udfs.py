"""Python implementations of the clue functions that Spark SQL has no same-meaning form for, registered by the job as
`clue_<name>` UDFs. Each one follows clue's JavaScript implementation (src/expr/functions/) exactly: the same
result for the same arguments, null for a null argument (unless the function handles nulls itself), null for
input it cannot use, never an exception. A test runs both on thousands of generated values.

Values arrive as Spark gives them to Python: str, int, float, bool, None, lists.
"""

from __future__ import annotations

import decimal
import hashlib
import json
import math
import re
import unicodedata
from dataclasses import dataclass
from typing import Callable

from clue_json import js_number, to_json
from pyspark.sql.types import ArrayType, BooleanType, DataType, DoubleType, StringType

# JavaScript's \s and String.prototype.trim: WhiteSpace and LineTerminator.
JS_SPACE = "\t\n\x0b\x0c\r \xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
_SPACE_CLASS = "[" + re.escape(JS_SPACE) + "]"

# Edit distances are quadratic: past this many code points clue gives null.
MAX_COMPARED = 10_000


# clue's MAX_TEXT_LENGTH: a function that would make longer text (in UTF-16 units) gives null.
MAX_TEXT_LENGTH = 1_000_000


class _Missing:
    """An optional argument the call left out (JavaScript's undefined), which differs from null."""

    def __repr__(self) -> str:
        return "MISSING"


MISSING = _Missing()


@dataclass(frozen=True)
class Udf:
    fn: Callable
    returns: DataType
    # True when the function handles null arguments itself; otherwise a null argument gives null without a call.
    accepts_null: bool = False


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



def _utf16_length(text: str) -> int:
    return len(text) + sum(1 for c in text if ord(c) > 0xFFFF)


def _category(c: str) -> str:
    return unicodedata.category(c)


# --- coercions (src/expr/functions/coerce.ts) -------------------------------------------------------------------

_NUMBER = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def finite(n: float):
    if math.isnan(n) or math.isinf(n):
        return None
    return 0.0 if n == 0 else n


def as_number(value):
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return finite(float(value))
    if not isinstance(value, str):
        return None
    text = js_trim(value)
    return finite(float(text)) if _NUMBER.fullmatch(text) else None


def as_integer(value):
    n = as_number(value)
    return n if n is not None and n == math.floor(n) else None


def _texts(values, apply):
    out = []
    for v in values:
        t = as_text(v)
        if t is None:
            return None
        out.append(t)
    return apply(*out)


# --- text -----------------------------------------------------------------------------------------------------------


def _collapse_whitespace(text: str) -> str:
    return re.sub(_SPACE_CLASS + "+", " ", js_trim(text))


def is_blank(value):
    if value is None:
        return True
    if isinstance(value, list):
        return len(value) == 0
    text = as_text(value)
    return text is not None and js_trim(text) == ""


# --- substrings ---------------------------------------------------------------------------------------------------

MAX_PAD = 10_000


def length(value):
    if isinstance(value, list):
        return float(len(value))
    text = as_text(value)
    return None if text is None else float(len(text))


def substring(value, start, count=MISSING):
    text = as_text(value)
    begin = as_integer(start)
    n = math.inf if count is MISSING else as_integer(count)
    if text is None or begin is None or n is None or n < 0:
        return None
    lo = max(begin, 1)
    hi = min(begin + n, len(text) + 1)
    return "" if hi <= lo else text[int(lo) - 1 : int(hi) - 1]


def left(value, count):
    n = as_integer(count)
    text = as_text(value)
    return None if text is None or n is None or n < 0 else text[: int(n)]


def right(value, count):
    n = as_integer(count)
    text = as_text(value)
    if text is None or n is None or n < 0:
        return None
    return text[max(len(text) - int(n), 0) :]


def _pad(side: str) -> Callable:
    def call(value, width, fill=MISSING):
        text = as_text(value)
        n = as_integer(width)
        filler = " " if fill is MISSING else as_text(fill)
        if text is None or n is None or n < 0 or n > MAX_PAD or filler is None or filler == "":
            return None
        if len(text) >= n:
            return text
        missing = int(n) - len(text)
        padding = "".join(filler[i % len(filler)] for i in range(missing))
        return padding + text if side == "left" else text + padding

    return call


def split_part(value, delimiter, index):
    n = as_integer(index)

    def apply(text, sep):
        if n is None or n == 0:
            return None
        parts = [text] if sep == "" else text.split(sep)
        i = int(n) - 1 if n > 0 else len(parts) + int(n)
        return parts[i] if 0 <= i < len(parts) else ""

    return _texts([value, delimiter], apply)


def replace(value, old, new):
    def apply(text, old, new):
        if old == "":
            return text
        parts = text.split(old)
        grown = _utf16_length(text) + (len(parts) - 1) * (_utf16_length(new) - _utf16_length(old))
        return None if grown > MAX_TEXT_LENGTH else new.join(parts)

    return _texts([value, old, new], apply)


def concat(*args):
    present = [a for a in args if a is not None and a is not MISSING]
    return _texts(present, lambda *parts: "".join(parts))


# --- numbers ------------------------------------------------------------------------------------------------------


def _js_round(v: float) -> float:
    """Math.round: the nearest integer, halves up (towards +infinity); NaN and the infinities as they are."""
    if math.isnan(v) or math.isinf(v):
        return v
    f = math.floor(v)
    return float(f + 1 if v - f >= 0.5 else f)


def _to_precision_15(x: float) -> float:
    """Number(x.toPrecision(15)) for x >= 0: the nearest 15-significant-digit decimal, halves up (ECMAScript)."""
    if x == 0:
        return 0.0
    d = decimal.Decimal(x)
    exponent = d.adjusted() - 14
    return float(d.quantize(decimal.Decimal(1).scaleb(exponent), rounding=decimal.ROUND_HALF_UP))


def round_half_away(x: float, digits: int):
    scale = 10.0 ** abs(digits)
    scaled = abs(x) * scale if digits >= 0 else abs(x) / scale
    if math.isinf(scaled) or math.isnan(scaled):
        return finite(x)
    rounded = _js_round(_to_precision_15(scaled))
    sign = (x > 0) - (x < 0)
    return finite(sign * (rounded / scale if digits >= 0 else rounded * scale))


def js_round(value, places=MISSING):
    x = as_number(value)
    digits = 0 if places is MISSING else as_integer(places)
    if x is None or digits is None or abs(digits) > 15:
        return None
    return round_half_away(x, int(digits))


def _numbers(args):
    out = []
    for a in args:
        n = as_number(a)
        if n is None:
            return None
        out.append(n)
    return out or None


def js_min(*args):
    ns = _numbers([a for a in args if a is not MISSING])
    return None if ns is None else finite(min(ns))


def js_max(*args):
    ns = _numbers([a for a in args if a is not MISSING])
    return None if ns is None else finite(max(ns))


def js_abs(value):
    x = as_number(value)
    return None if x is None else finite(abs(x))


# --- similarity -----------------------------------------------------------------------------------------------------


def levenshtein_distance(a: str, b: str) -> int:
    start = 0
    while start < len(a) and start < len(b) and a[start] == b[start]:
        start += 1
    end_a, end_b = len(a), len(b)
    while end_a > start and end_b > start and a[end_a - 1] == b[end_b - 1]:
        end_a -= 1
        end_b -= 1
    long, short = a[start:end_a], b[start:end_b]
    if len(long) < len(short):
        long, short = short, long
    if not short:
        return len(long)
    row = list(range(len(short) + 1))
    for i, c in enumerate(long):
        diagonal = row[0]
        row[0] = i + 1
        for j in range(1, len(short) + 1):
            above = row[j]
            row[j] = min(above + 1, row[j - 1] + 1, diagonal + (0 if c == short[j - 1] else 1))
            diagonal = above
    return row[len(short)]


_TOKEN_CATEGORIES = ("L", "N", "M")


def _tokens(text: str) -> set:
    """Runs of letters, digits and combining marks (/[\p{L}\p{N}\p{M}]+/gu)."""
    out = set()
    current = []
    for c in text:
        if _category(c)[0] in _TOKEN_CATEGORIES:
            current.append(c)
        elif current:
            out.add("".join(current))
            current = []
    if current:
        out.add("".join(current))
    return out


def _token_set(value):
    if isinstance(value, list):
        items = [as_text(v) for v in value]
        return None if any(i is None for i in items) else set(items)
    text = as_text(value)
    return None if text is None else _tokens(text)


def _lower_token_set(value):
    text = as_text(value)
    return None if text is None else _tokens(js_lower(text))


def jaccard_index(a: set, b: set) -> float:
    if not a and not b:
        return 1.0
    common = len(a & b)
    return common / (len(a) + len(b) - common)


def _jaccard_of(to_set: Callable) -> Callable:
    def call(x, y):
        a = to_set(x)
        b = to_set(y)
        return None if a is None or b is None else jaccard_index(a, b)

    return call


def _qgrams(text: str, q: int) -> set:
    if not text:
        return set()
    padded = [-1] * (q - 1) + [ord(c) for c in text] + [-2] * (q - 1)
    return {tuple(padded[i : i + q]) for i in range(len(padded) - q + 1)}


def qgram_similarity(x, y, size=MISSING):
    q = 2 if size is MISSING else as_integer(size)
    a = as_text(x)
    b = as_text(y)
    if a is None or b is None or q is None or q < 1 or q > 10:
        return None
    return jaccard_index(_qgrams(a, int(q)), _qgrams(b, int(q)))


# --- matching -----------------------------------------------------------------------------------------------------


def _bounded(value):
    text = as_text(value)
    return None if text is None or len(text) > MAX_COMPARED else text


def levenshtein_similarity(x, y):
    a = _bounded(x)
    b = _bounded(y)
    if a is None or b is None:
        return None
    longer = max(len(a), len(b))
    return 1.0 if longer == 0 else 1 - levenshtein_distance(a, b) / longer


def sift4_distance(a: str, b: str, max_offset: int) -> int:
    if not a:
        return len(b)
    if not b:
        return len(a)
    c1 = c2 = lcss = local = 0
    while c1 < len(a) and c2 < len(b):
        if a[c1] == b[c2]:
            local += 1
        else:
            lcss += local
            local = 0
            if c1 != c2:
                c1 = c2 = max(c1, c2)
            i = 0
            # After the jump above c1 or c2 may point past its text, where JavaScript reads undefined: no match.
            while i < max_offset and (c1 + i < len(a) or c2 + i < len(b)):
                if c1 + i < len(a) and c2 < len(b) and a[c1 + i] == b[c2]:
                    c1 += i
                    local += 1
                    break
                if c2 + i < len(b) and c1 < len(a) and a[c1] == b[c2 + i]:
                    c2 += i
                    local += 1
                    break
                i += 1
        c1 += 1
        c2 += 1
    lcss += local
    return max(len(a), len(b)) - lcss


def sift4(x, y, offset=MISSING):
    a = _bounded(x)
    b = _bounded(y)
    max_offset = 5 if offset is MISSING else as_integer(offset)
    if a is None or b is None or max_offset is None or max_offset < 0:
        return None
    return float(sift4_distance(a, b, int(min(max_offset, max(len(a), len(b))))))


def _is_punct_or_symbol(c: str) -> bool:
    return _category(c)[0] in ("P", "S")


def first_token(value):
    text = _bounded(value)
    if text is None:
        return None
    for token in re.split(_SPACE_CLASS + "+", text):
        i, j = 0, len(token)
        while i < j and _is_punct_or_symbol(token[i]):
            i += 1
        while j > i and _is_punct_or_symbol(token[j - 1]):
            j -= 1
        if i < j:
            return js_lower(token[i:j])
    return None


def normalize_name(value):
    text = _bounded(value)
    if text is None:
        return None
    plain = strip_accents(js_lower(text))
    kept = "".join(c for c in plain if c == "-" or not _is_punct_or_symbol(c))
    return js_trim(re.sub(_SPACE_CLASS + "+", " ", kept))


_GMAIL = ("gmail.com", "googlemail.com")


def normalize_email(value):
    text = _bounded(value)
    if text is None:
        return None
    parts = js_lower(js_trim(text)).split("@")
    if len(parts) != 2:
        return None
    local, domain = parts
    local = local.split("+")[0]
    if domain in _GMAIL:
        local = local.replace(".", "")
    return None if local == "" or domain == "" else f"{local}@{domain}"


# --- dates (src/expr/functions/dates.ts, date-parse.ts, calendar.ts) ---------------------------------------------

_DEFAULT_DATES = (
    (re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})"), 1, 2, 3),
    (re.compile(r"([0-9]{1,2})([/.-])([0-9]{1,2})\2([0-9]{4})"), 4, 3, 1),
)
_TIME = re.compile(
    r"(?:T|[" + re.escape(JS_SPACE) + r"]+)([0-9]{1,2}):([0-9]{2})(?::([0-9]{2})(?:[.,][0-9]+)?)? ?(Z|[+-][0-9]{2}(?::?[0-9]{2})?)?",
    re.IGNORECASE,
)
_FORMAT_TOKEN = re.compile(r"(YYYY|MM|DD)")
_FORMATS: dict = {}


def _compile_format(fmt: str):
    """As clue's compileFormat: YYYY, MM and DD once each, other text literal except letters; (regex, y, m, d)."""
    if fmt in _FORMATS:
        return _FORMATS[fmt]
    parts = _FORMAT_TOKEN.split(fmt)
    tokens = parts[1::2]
    literals = parts[0::2]
    pattern = None
    ok = all(tokens.count(t) == 1 for t in ("YYYY", "MM", "DD"))
    if ok and len(tokens) == 3 and not any(re.search("[A-Za-z]", lit) for lit in literals):
        source = []
        for i, part in enumerate(parts):
            if i % 2 == 0:
                source.append(re.escape(part))
            elif part == "YYYY":
                source.append("([0-9]{4})")
            else:
                packed = (i > 1 and parts[i - 1] == "") or (i < len(parts) - 2 and parts[i + 1] == "")
                source.append("([0-9]{2})" if packed else "([0-9]{1,2})")
        group = {t: tokens.index(t) + 1 for t in tokens}
        pattern = (re.compile("".join(source)), group["YYYY"], group["MM"], group["DD"])
    if len(_FORMATS) >= 100:
        _FORMATS.clear()
    _FORMATS[fmt] = pattern
    return pattern


def _is_leap(y: int) -> bool:
    return (y % 4 == 0 and y % 100 != 0) or y % 400 == 0


def _days_in_month(y: int, m: int) -> int:
    if m == 2:
        return 29 if _is_leap(y) else 28
    return 30 if m in (4, 6, 9, 11) else 31


def _valid_date(y: int, m: int, d: int) -> bool:
    return 1 <= y <= 9999 and 1 <= m <= 12 and 1 <= d <= _days_in_month(y, m)


def days_from_civil(y: int, m: int, d: int) -> int:
    y = y - 1 if m <= 2 else y
    era = y // 400
    yoe = y - era * 400
    doy = (153 * (m + (-3 if m > 2 else 9)) + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def civil_from_days(days: int) -> tuple:
    z = days + 719468
    era = z // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    m = mp + 3 if mp < 10 else mp - 9
    return (yoe + era * 400 + (1 if m <= 2 else 0), m, d)


def _format_date(y: int, m: int, d: int) -> str:
    return f"{y:04d}-{m:02d}-{d:02d}"


def parse_date_time(text: str, fmt=None):
    """((year, month, day), seconds, offset minutes or None), or None: clue's parseDateTime."""
    text = js_trim(text)
    custom = None if fmt is None else _compile_format(fmt)
    if fmt is not None and custom is None:
        return None
    for regex, yi, mi, di in [custom] if custom else _DEFAULT_DATES:
        match = regex.match(text)
        if match is None:
            continue
        date = (int(match.group(yi)), int(match.group(mi)), int(match.group(di)))
        if not _valid_date(*date):
            return None
        rest = text[match.end() :]
        if rest == "":
            return (date, 0, None)
        time = _TIME.fullmatch(rest)
        if time is None:
            return None
        hour, minute, second = int(time.group(1)), int(time.group(2)), int(time.group(3) or "0")
        offset = _parse_offset(time.group(4))
        if hour > 23 or minute > 59 or second > 59 or offset is False:
            return None
        return (date, hour * 3600 + minute * 60 + second, offset)
    return None


def _parse_offset(zone):
    """Minutes east of UTC; None when no zone is written, False when the written one is impossible."""
    if zone is None:
        return None
    if zone.upper() == "Z":
        return 0
    digits = zone[1:].replace(":", "", 1)
    hours = int(digits[:2])
    minutes = int(digits[2:] or "0")
    if hours > 23 or minutes > 59:
        return False
    return (-1 if zone.startswith("-") else 1) * (hours * 60 + minutes)


def _parts(value, fmt=MISSING):
    text = as_text(value)
    f = None if fmt is MISSING else as_text(fmt)
    if text is None or (fmt is not MISSING and f is None):
        return None
    return parse_date_time(text, f)


def _date_of(value):
    parsed = _parts(value)
    return None if parsed is None else parsed[0]


def to_date(value, fmt=MISSING):
    parsed = _parts(value, fmt)
    return None if parsed is None else _format_date(*parsed[0])


_EPOCH_MIN = days_from_civil(1, 1, 1) * 86400
_EPOCH_MAX = (days_from_civil(9999, 12, 31) + 1) * 86400


def to_datetime(value, fmt=MISSING):
    parsed = _parts(value, fmt)
    if parsed is None:
        return None
    date, seconds, offset = parsed
    epoch = days_from_civil(*date) * 86400 + seconds - (offset or 0) * 60
    if epoch < _EPOCH_MIN or epoch >= _EPOCH_MAX:
        return None
    days = epoch // 86400
    rest = epoch - days * 86400
    return f"{_format_date(*civil_from_days(days))}T{rest // 3600:02d}:{rest // 60 % 60:02d}:{rest % 60:02d}Z"


def _date_part(index: int) -> Callable:
    def call(value):
        date = _date_of(value)
        return None if date is None else float(date[index])

    return call


def age_years(start, end):
    a = _date_of(start)
    b = _date_of(end)
    if a is None or b is None:
        return None
    early, late, sign = (a, b, 1) if days_from_civil(*a) <= days_from_civil(*b) else (b, a, -1)
    before = late[1] < early[1] or (late[1] == early[1] and late[2] < early[2])
    years = late[0] - early[0] - (1 if before else 0)
    return 0.0 if years == 0 else float(sign * years)


def _days_from_to(start, end):
    a = _date_of(start)
    b = None if a is None else _date_of(end)
    return None if a is None or b is None else days_from_civil(*b) - days_from_civil(*a)


def days_between(start, end):
    days = _days_from_to(start, end)
    return None if days is None else float(days)


def days_apart(a, b):
    days = _days_from_to(a, b)
    return None if days is None else float(abs(days))


def dates_swapped(x, y):
    a = _date_of(x)
    b = _date_of(y)
    if a is None or b is None:
        return None
    return a[0] == b[0] and a[1] == b[2] and a[2] == b[1] and a[1] != a[2]


# --- nulls and hashing --------------------------------------------------------------------------------------------


def coalesce(*args):
    return next((a for a in args if a is not None and a is not MISSING), None)


def _parse_decimal(text: str):
    trimmed = js_trim(text)
    if not _NUMBER.fullmatch(trimmed):
        return None
    n = float(trimmed)
    return None if math.isinf(n) else n


def js_equals(a, b):
    """clue's == (src/expr/types.ts equals): null with null semantics; a number equals the string of that number."""
    if a is None or b is None:
        return None
    na = isinstance(a, (int, float)) and not isinstance(a, bool)
    nb = isinstance(b, (int, float)) and not isinstance(b, bool)
    if na and nb:
        return float(a) == float(b)
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if na and isinstance(b, str):
        return _parse_decimal(b) == float(a)
    if isinstance(a, str) and nb:
        return _parse_decimal(a) == float(b)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(js_equals(x, y) is True for x, y in zip(a, b))
    return a == b if isinstance(a, str) and isinstance(b, str) else False


def same_value(a, b) -> bool:
    if a is None or b is None or a is MISSING or b is MISSING:
        return a is b or (a is None and b is None)
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    na = isinstance(a, (int, float))
    nb = isinstance(b, (int, float))
    if na or nb:
        return na and nb and float(a) == float(b)
    if isinstance(a, list) or isinstance(b, list):
        return isinstance(a, list) and isinstance(b, list) and len(a) == len(b) and all(map(same_value, a, b))
    return a == b


def nullif(value, other=MISSING):
    return None if value is MISSING or same_value(value, other) else value


def equal_or_null(a, b):
    return a is None or b is None or js_equals(a, b) is True


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


# --- the compiler's helpers (src/engine/udfs.ts HELPER_UDFS, and the Spark dialect's own) ------------------------


def compare_text(a: str, b: str) -> float:
    """JavaScript's order of two texts: by UTF-16 code units (big-endian bytes compare the same way)."""
    x = a.encode("utf-16-be", "surrogatepass")
    y = b.encode("utf-16-be", "surrogatepass")
    return -1.0 if x < y else 1.0 if x > y else 0.0


_DECIMAL = re.compile(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?")
_MAX_SAFE = 2**53 - 1


def number_problem(text: str):
    """io/exact-number.ts numberProblem: why decimal text cannot become a number unchanged, or None."""
    if not _DECIMAL.fullmatch(text):
        return None
    n = float(text)
    if math.isinf(n):
        return f"{text} is beyond the range of a number (about ±1.8e308)"
    exponent = re.search("[eE]", text)
    mantissa = text if exponent is None else text[: exponent.start()]
    if n == 0:
        return f"{text} is too small for a number: it would read as 0" if re.search("[1-9]", mantissa) else None
    if exponent is None and n == math.floor(n) and abs(n) > _MAX_SAFE and not _same_integer(text, n):
        return (
            f"{text} is an integer beyond 2^53 - 1 ({_MAX_SAFE}) that a number cannot hold: "
            f"it would read as {js_number(n)}"
        )
    return None


def _same_integer(text: str, n: float) -> bool:
    whole, _, fraction = text.lstrip("+").partition(".")
    if not re.fullmatch("0*", fraction):
        return False
    digits = re.sub(r"^(-?)0+(?=[0-9])", r"\1", whole)
    return digits == js_number(n)


_FORMAT_RES = {
    "email": re.compile(r"[^@" + re.escape(JS_SPACE) + r"]+@[^@" + re.escape(JS_SPACE) + r"]+\.[^@" + re.escape(JS_SPACE) + r"]+"),
    "e164": re.compile(r"\+[1-9][0-9]{1,14}"),
    "uuid": re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.IGNORECASE),
    "date": re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}"),
    "datetime": re.compile(
        r"[0-9]{4}-[0-9]{2}-[0-9]{2}[T ]([01][0-9]|2[0-3]):[0-5][0-9](:([0-5][0-9]|60)(\.[0-9]+)?)?"
        r"(Z|[+-]([01][0-9]|2[0-3]):?[0-5][0-9])"
    ),
}


def _real_date(ymd: str) -> bool:
    # Date.setUTCFullYear takes year 0 too (proleptic Gregorian: a leap year).
    y, m, d = (int(p) for p in ymd.split("-"))
    return 1 <= m <= 12 and 1 <= d <= _days_in_month(y, m)


# WHATWG URL parsing (what `new URL()` does) for the two schemes the check accepts: leading and trailing C0
# controls and spaces are dropped, tabs and line ends anywhere are removed, the scheme is case-insensitive, slashes
# after it may be missing or backslashes, and the host must be a valid domain or IP address.
_URL_START = re.compile(r"(?i)(https?):")
_FORBIDDEN_HOST = set("\x00\t\n\r #/:<>?@[\\]^|%")


def _is_url(text: str) -> bool:
    text = text.strip("".join(chr(c) for c in range(0x21)))
    text = re.sub("[\t\n\r]", "", text)
    m = _URL_START.match(text)
    if m is None:
        return False
    rest = text[m.end() :].lstrip("/\\")
    end = len(rest)
    for i, c in enumerate(rest):
        if c in "/\\?#":
            end = i
            break
    authority = rest[:end]
    host = authority.rpartition("@")[2]
    if host.startswith("["):
        return re.fullmatch(r"\[[0-9A-Fa-f:.]+\](:[0-9]*)?", host) is not None
    host, _, port = host.partition(":")
    if port and (not port.isdigit() or not port.isascii() or int(port) > 65535):
        return False
    if host == "" or any(c in _FORBIDDEN_HOST or ord(c) < 0x20 or ord(c) == 0x7F for c in host):
        return False
    return True


def format_check(fmt: str, text) -> bool:
    if not isinstance(text, str) or len(text) > 2048:
        return False
    if fmt == "url":
        return _is_url(text)
    regex = _FORMAT_RES.get(fmt)
    if regex is None or regex.fullmatch(text) is None:
        return False
    return _real_date(text[:10]) if fmt in ("date", "datetime") else True


def js_number_text(x: float) -> str:
    """String(n): JavaScript's text of a number (NaN and the infinities by name, unlike JSON)."""
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    return js_number(x)


class _RawNumber(str):
    """A JSON number token kept as written: the compiler judges whether a number can hold it."""


_PATHS: dict = {}


def _paths_of(literal: str):
    paths = _PATHS.get(literal)
    if paths is None:
        if len(_PATHS) >= 256:
            _PATHS.clear()
        paths = _PATHS[literal] = json.loads(literal)
    return paths


def _decode(record: str):
    try:
        return json.loads(record, parse_int=_RawNumber, parse_float=_RawNumber, parse_constant=_no_constant)
    except (ValueError, RecursionError):
        return None


def _no_constant(name: str):
    raise ValueError(f"{name} is not JSON")


def _at(value, path):
    for step in path:
        if isinstance(step, str):
            # clue's readers drop __proto__ keys at every depth.
            if not isinstance(value, dict) or step == "__proto__" or step not in value:
                return None, False
            value = value[step]
        else:
            if not isinstance(value, list) or not 0 <= step < len(value):
                return None, False
            value = value[step]
    return value, True


def _json_text(value) -> str:
    """A value found in a record as JSON text: strings quoted, number tokens as written, the rest as JS writes it."""
    if isinstance(value, _RawNumber):
        return str(value)
    return to_json(_plain(value))


def _plain(value):
    if isinstance(value, _RawNumber):
        return float(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if k != "__proto__"}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def json_extract_many(record, paths_literal):
    """The JSON text at each path of a record (NULL where missing): the record is parsed once for all of them."""
    if record is None or paths_literal is None:
        return None
    parsed = _decode(record)
    out = []
    for path in _paths_of(paths_literal):
        value, found = _at(parsed, path)
        out.append(_json_text(value) if found else None)
    return out


def json_extract(record, path_literal):
    if record is None or path_literal is None:
        return None
    value, found = _at(_decode(record), _paths_of(path_literal))
    return _json_text(value) if found else None


# --- the registry ------------------------------------------------------------------------------------------------

STRING = StringType()
NUMBER = DoubleType()
BOOLEAN = BooleanType()


def _number_of(fn: Callable) -> Callable:
    """Spark's DOUBLE wants a float: JavaScript has no ints, and Python's would not convert."""

    def call(*args):
        result = fn(*args)
        return None if result is None else float(result)

    return call


UDFS: dict[str, Udf] = {
    # text
    "lower": Udf(text_function(js_lower), STRING),
    "upper": Udf(text_function(js_upper), STRING),
    "trim": Udf(text_function(js_trim), STRING),
    "collapse_whitespace": Udf(text_function(_collapse_whitespace), STRING),
    "title_case": Udf(text_function(title_case), STRING),
    "strip_accents": Udf(text_function(strip_accents), STRING),
    "digits_only": Udf(text_function(lambda text: re.sub("[^0-9]", "", text)), STRING),
    "to_string": Udf(text_function(lambda text: text), STRING),
    "is_blank": Udf(is_blank, BOOLEAN, accepts_null=True),
    # substrings
    "length": Udf(length, NUMBER),
    "substring": Udf(substring, STRING),
    "left": Udf(left, STRING),
    "right": Udf(right, STRING),
    "pad_left": Udf(_pad("left"), STRING),
    "pad_right": Udf(_pad("right"), STRING),
    "split_part": Udf(split_part, STRING),
    "starts_with": Udf(lambda t, p: _texts([t, p], lambda t, p: t.startswith(p)), BOOLEAN),
    "ends_with": Udf(lambda t, s: _texts([t, s], lambda t, s: t.endswith(s)), BOOLEAN),
    "contains": Udf(lambda t, p: _texts([t, p], lambda t, p: p in t), BOOLEAN),
    "replace": Udf(replace, STRING),
    "concat": Udf(concat, STRING, accepts_null=True),
    # e-mail and phone numbers
    "is_email": Udf(text_function(is_email), BOOLEAN),
    "email_domain": Udf(text_function(email_domain), STRING),
    "to_e164": Udf(lambda v, c=MISSING: to_e164(v, None if c is MISSING else c), STRING),
    "e164": Udf(lambda v, c=MISSING: to_e164(v, None if c is MISSING else c), STRING),
    "normalize_phone": Udf(lambda v, c=MISSING: to_e164(v, None if c is MISSING else c), STRING),
    "phone_country": Udf(lambda v, c=MISSING: phone_country(v, None if c is MISSING else c), STRING),
    # numbers
    "to_number": Udf(as_number, NUMBER),
    "round": Udf(js_round, NUMBER),
    "abs": Udf(js_abs, NUMBER),
    "min": Udf(js_min, NUMBER),
    "max": Udf(js_max, NUMBER),
    # similarity and matching
    "levenshtein": Udf(_number_of(_pair(levenshtein_distance)), NUMBER),
    "jaro_winkler": Udf(_pair(jaro_winkler), NUMBER),
    "jaccard": Udf(_jaccard_of(_token_set), NUMBER),
    "token_set_similarity": Udf(_jaccard_of(_lower_token_set), NUMBER),
    "qgram_similarity": Udf(qgram_similarity, NUMBER),
    "soundex": Udf(text_function(soundex), STRING),
    "levenshtein_similarity": Udf(levenshtein_similarity, NUMBER),
    "sift4": Udf(sift4, NUMBER),
    "first_token": Udf(first_token, STRING),
    "normalize_name": Udf(normalize_name, STRING),
    "normalize_email": Udf(normalize_email, STRING),
    # dates
    "to_date": Udf(to_date, STRING),
    "to_datetime": Udf(to_datetime, STRING),
    "year": Udf(_date_part(0), NUMBER),
    "month": Udf(_date_part(1), NUMBER),
    "day": Udf(_date_part(2), NUMBER),
    "age_years": Udf(age_years, NUMBER),
    "days_between": Udf(days_between, NUMBER),
    "days_apart": Udf(days_apart, NUMBER),
    "dates_swapped": Udf(dates_swapped, BOOLEAN),
    # nulls and hashing
    "coalesce": Udf(coalesce, STRING, accepts_null=True),
    "nullif": Udf(nullif, STRING, accepts_null=True),
    "equal_or_null": Udf(equal_or_null, BOOLEAN, accepts_null=True),
    "sha256": Udf(text_function(sha256), STRING),
}


SQL_TYPES = {"text": STRING, "number": NUMBER, "boolean": BOOLEAN}


def _as_sql(value, returns: DataType):
    """A result in the SQL type the plan declared: Spark turns a Python value of another type into null."""
    if value is None:
        return None
    if returns == NUMBER:
        return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None
    if returns == BOOLEAN:
        return value if isinstance(value, bool) else None
    if returns == STRING:
        return as_text(value)
    return value


def udf_for(name: str, signature: dict | None = None) -> tuple:
    """The Python function to register for clue function `name`, and its Spark return type.

    With the plan's signature (udfSignatures), its declared result type and null handling are used: "propagate"
    gives null for a null argument without a call, as clue does for functions that do not handle nulls.
    """
    udf = UDFS.get(name) or HELPERS.get(name)
    if udf is None:
        raise KeyError(name)
    returns = SQL_TYPES[signature["returns"]] if signature else udf.returns
    propagate = signature["nulls"] == "propagate" if signature else not udf.accepts_null
    fn = udf.fn

    def call(*args):
        if propagate and any(a is None for a in args):
            return None
        try:
            return _as_sql(fn(*args), returns)
        except Exception:  # clue's functions never fail: bad input gives null
            return None

    return call, returns


def probability(weight: float) -> float:
    """model.ts probabilityOf: a match weight's probability."""
    try:
        power = 2.0**-weight
    except OverflowError:
        power = math.inf
    return 1 / (1 + power)


def waterfall_round(x: float, digits: float) -> float:
    """The waterfall's rounding (model.ts): Math.round(x * 10^digits) / 10^digits."""
    f = 10.0 ** digits
    return _js_round(x * f) / f


def utf16_key(text: str) -> str:
    """Text whose byte order is JavaScript's order of `text`: its UTF-16 code units, four hex digits each."""
    units = text.encode("utf-16-be", "surrogatepass")
    return units.hex()


# The helpers, registered by every job under these names (the compiler's are listed in a plan's udfs too).
HELPERS: dict[str, Udf] = {
    "clue__compare_text": Udf(compare_text, NUMBER),
    "clue__probability": Udf(probability, NUMBER),
    "clue__log2": Udf(lambda x: math.log2(x) if x > 0 else (-math.inf if x == 0 else math.nan), NUMBER),
    "clue__round": Udf(waterfall_round, NUMBER),
    "clue__utf16_key": Udf(utf16_key, STRING),
    "clue__number_problem": Udf(number_problem, STRING),
    "clue__format": Udf(format_check, BOOLEAN),
    "clue__js_number_text": Udf(js_number_text, STRING),
    "clue__json_extract_many": Udf(json_extract_many, ArrayType(StringType()), accepts_null=True),
    "clue__json_extract": Udf(json_extract, STRING, accepts_null=True),
}
