"""Reads a plan's inputs into the shape its SQL expects: one row per source record with the columns

    record  STRING  the record as JSON text
    _line   BIGINT  the 1-based line the record starts on (Parquet: the 1-based row), as clue's own readers number it
    _file   STRING  the file it came from

Records clue's readers would send to a dead letter (a line that is not a JSON object, a CSV row with too many
fields) are left out here too, counted and listed by line; the job prints the counts.

Line numbers: Spark reads a text file in splits that run in parallel and may come back in any order, so a record's
line is worked out from where its split starts: one pass counts the lines of each split, and a second numbers each
line from the count of the splits before it (sorted by file and offset). Nothing depends on partition order.
"""

from __future__ import annotations

import gzip
import json
import os
from typing import Callable, Iterable, Iterator

from clue_json import to_json
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F
from pyspark.sql.types import LongType, StringType, StructField, StructType

SCHEMA = StructType(
    [
        StructField("record", StringType(), True),
        StructField("_line", LongType(), False),
        StructField("_file", StringType(), False),
    ]
)

BOM = "\ufeff"
# JavaScript's String.prototype.trim removes these (WhiteSpace and LineTerminator in ECMAScript).
JS_SPACE = "\t\n\x0b\x0c\r \xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"


class InputProblem(Exception):
    """An input that cannot be read at all (a missing file, a malformed CSV header): the job stops and says why."""


# Files up to this size that the driver can open are read by the driver itself: the same parsers, without the
# Spark jobs that numbering lines across splits costs (seconds each on a local Spark), which is most of a small run.
DRIVER_BYTES = 64 * 1024 * 1024


# How many left-out records are listed by line (all are counted).
LISTED = 1000


def read_input(spark: SparkSession, spec: dict) -> tuple:
    """The input's records as a DataFrame of SCHEMA, and the records left out: {"count": n, "lines": [...]}."""
    fmt = spec["format"]
    path = spec["path"]
    if fmt == "parquet":
        return _parquet(spark, path), {"count": 0, "lines": []}
    parse = _parser(spec)
    if os.path.isfile(path) and os.path.getsize(path) <= DRIVER_BYTES:
        rows = list(parse(_file_lines(path)))
        kept = [r for r in rows if r[0] is not None]
        left = [r[1] for r in rows if r[0] is None]
        return spark.createDataFrame(kept, SCHEMA), {"count": len(left), "lines": left[:LISTED]}
    lines = _numbered_lines(spark, path)
    if fmt == "jsonl":
        rows = lines.mapPartitions(parse)
    else:
        # A JSON array, and a CSV file's quoted fields, may span lines: the lines are parsed in order, in one task.
        rows = lines.sortBy(lambda x: (x[2], x[1]), numPartitions=1).mapPartitions(parse)
    # Read once (a checkpoint): the steps may scan an input several times, and the records left out are counted
    # from the same rows.
    df = spark.createDataFrame(rows, SCHEMA).localCheckpoint(eager=True)
    left = df.filter(F.col("record").isNull())
    listed = [r[0] for r in left.orderBy("_file", "_line").select("_line").limit(LISTED).collect()]
    return df.filter(F.col("record").isNotNull()), {"count": left.count(), "lines": listed}


def _parser(spec: dict) -> Callable[[Iterable], Iterator]:
    fmt = spec["format"]
    if fmt == "jsonl":
        return _jsonl_records
    if fmt == "json":
        return _json_array_records
    if fmt == "csv":
        options = spec.get("csv") or {}
        delimiter = options.get("delimiter", ",")
        skip_space = bool(options.get("skipInitialSpace", False))
        return lambda lines: _csv_records(lines, delimiter, skip_space)
    raise InputProblem(f"{spec['path']}: unknown input format {fmt!r} (jsonl, json, csv or parquet)")


def _file_lines(path: str) -> Iterator:
    """(text, line, file) of a local file's lines, split on LF only; gzip told by its magic bytes, as clue does."""
    with open(path, "rb") as raw:
        gzipped = raw.read(2) == b"\x1f\x8b"
    opener = gzip.open if gzipped else open
    with opener(path, "rb") as f:
        text = f.read().decode("utf-8", "replace")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    for index, line in enumerate(lines):
        yield (line, index + 1, path)


def _numbered_lines(spark: SparkSession, path: str):
    """An RDD of (text, line, file) for every line of the file(s), split on LF only (as clue's readers split)."""
    df = (
        spark.read.option("lineSep", "\n")
        .text(path)
        .select("value", F.col("_metadata.file_path").alias("file"), F.col("_metadata.file_block_start").alias("at"))
    )
    rdd = df.rdd.map(tuple)
    counts = rdd.map(lambda r: ((r[1], r[2]), 1)).countByKey()
    first = {}
    line_of_file = {}
    for key in sorted(counts):
        file, _ = key
        start = line_of_file.get(file, 0)
        first[key] = start
        line_of_file[file] = start + counts[key]
    starts = spark.sparkContext.broadcast(first)
    # One file is named as the plan names it; the files of a folder by the paths Spark gives them.
    single = path if len(line_of_file) == 1 else None

    def number(rows: Iterable) -> Iterator:
        seen: dict = {}
        for text, file, at in rows:
            key = (file, at)
            n = seen.get(key, 0)
            seen[key] = n + 1
            yield (text, starts.value[key] + n + 1, single or file)

    return rdd.mapPartitions(number)


def _jsonl_records(lines: Iterable) -> Iterator:
    for text, line, file in lines:
        if line == 1 and text.startswith(BOM):
            text = text[1:]
        body = text[:-1] if text.endswith("\r") else text
        # Blank lines separate nothing in JSON Lines (clue skips them without a dead letter).
        if body == "" or (body[0] in " \t\r" and body.strip(JS_SPACE) == ""):
            continue
        yield (body if _is_object(body) else None, line, file)


def _is_object(text: str) -> bool:
    try:
        value = json.loads(text, parse_constant=_no_constant)
    except (ValueError, RecursionError):
        return False
    return isinstance(value, dict)


def _no_constant(name: str):
    # NaN, Infinity and -Infinity are Python's extensions, not JSON.
    raise ValueError(f"{name} is not JSON")


def _json_array_records(lines: Iterable) -> Iterator:
    """A JSON array file: each element that is an object, re-written as JSON text, on the line where it starts."""
    parts = []
    file = ""
    for text, _, file in lines:
        parts.append(text)
    if not parts:
        return
    text = "\n".join(parts)
    if text.startswith(BOM):
        text = text[1:]
    decoder = json.JSONDecoder(parse_constant=_no_constant)
    i = _skip(text, 0)
    if i >= len(text):
        return
    if text[i] != "[":
        raise InputProblem(f"{file}: a JSON array file starts with [ (for one object per line, name the file .jsonl)")
    i = _skip(text, i + 1)
    line = 1 + text.count("\n", 0, i)
    counted = i
    if i < len(text) and text[i] == "]":
        return
    while i < len(text):
        line += text.count("\n", counted, i)
        counted = i
        try:
            value, end = decoder.raw_decode(text, i)
        except ValueError:
            # The rest cannot be split into elements reliably: clue's reader stops there too.
            yield (None, line, file)
            return
        yield (to_json(value) if isinstance(value, dict) else None, line, file)
        i = _skip(text, end)
        if i < len(text) and text[i] == ",":
            i = _skip(text, i + 1)
        elif i < len(text) and text[i] == "]":
            return


def _skip(text: str, i: int) -> int:
    while i < len(text) and text[i] in " \t\r\n":
        i += 1
    return i


def _csv_records(lines: Iterable, delimiter: str, skip_space: bool) -> Iterator:
    """clue's CSV rules (src/io/csv.ts): RFC 4180, header first, unquoted empty → null, quoted empty → ""."""
    parser = None
    for text, line, file in lines:
        if parser is None or parser.file != file:
            if parser is not None:
                yield from parser.end()
            parser = _CsvParser(file, delimiter, skip_space)
        yield from parser.push(text, line)
    if parser is not None:
        yield from parser.end()


class _CsvParser:
    def __init__(self, file: str, delimiter: str, skip_space: bool):
        self.file = file
        self.delim = delimiter
        self.skip_space = skip_space
        self.keys = None
        self.values: list = []
        self.record_line = 0
        self.quoted = None  # the text of an open quoted field, carried across lines
        self.first = True

    def push(self, text: str, line: int) -> Iterator:
        if self.first:
            self.first = False
            if text.startswith(BOM):
                text = text[1:]
        i = 0
        if self.quoted is None:
            self.record_line = line
            self.values = []
        n = len(text)
        d = self.delim
        # Still inside a quoted field: the line end belongs to its value, and the field goes on from the start.
        resume = self.quoted is not None
        if resume:
            self.quoted += "\n"
        while True:
            if self.skip_space and not resume:
                while i < n and text[i] == " ":
                    i += 1
            if resume or (i < n and text[i] == '"'):
                if not resume:
                    self.quoted = ""
                    i += 1
                resume = False
                i = self._in_quotes(text, i)
                if i is None:
                    return
                if i < 0:
                    yield from self._bad(line)
                    return
                if i == n:
                    break
                i += 1  # past the delimiter
                continue
            end = text.find(d, i)
            field = text[i:] if end < 0 else text[i:end]
            if '"' in field:
                yield from self._bad(line)
                return
            if end < 0:
                if field.endswith("\r"):
                    field = field[:-1]
                self.values.append(field if field != "" else None)
                break
            self.values.append(field if field != "" else None)
            i = end + 1
        yield from self._end_record()

    def _in_quotes(self, text: str, i: int):
        """Reads a quoted field from i; returns where the text after it starts (the delimiter, or len(text)),
        None when the field goes on past this line, or -1 when the text after the closing quote is not allowed."""
        n = len(text)
        while True:
            q = text.find('"', i)
            if q < 0:
                self.quoted += text[i:]
                return None
            self.quoted += text[i:q]
            if q + 1 < n and text[q + 1] == '"':
                self.quoted += '"'
                i = q + 2
                continue
            after = q + 1
            rest = text[after:]
            if after == n or text[after] == self.delim or rest == "\r":
                self.values.append(self.quoted)
                self.quoted = None
                return n if after == n or rest == "\r" else after
            self.quoted = None
            return -1

    def _bad(self, line: int) -> Iterator:
        if self.keys is None:
            raise InputProblem(f"{self.file} line {self.record_line}: the CSV header is malformed")
        self.values = []
        yield (None, self.record_line, self.file)

    def _end_record(self) -> Iterator:
        fields = self.values
        self.values = []
        if len(fields) == 1 and fields[0] is None:
            return
        if self.keys is None:
            self.keys = _header_keys(fields, self.file, self.record_line)
            return
        if len(fields) > len(self.keys):
            yield (None, self.record_line, self.file)
            return
        record = {}
        for k, key in enumerate(self.keys):
            if key is not None:
                record[key] = fields[k] if k < len(fields) else None
        yield (to_json(record), self.record_line, self.file)

    def end(self) -> Iterator:
        if self.quoted is not None:
            self.quoted = None
            if self.keys is None:
                raise InputProblem(f"{self.file} line {self.record_line}: the CSV header's quote is never closed")
            yield (None, self.record_line, self.file)
        return


def _header_keys(names: list, file: str, line: int) -> list:
    seen: dict = {}
    keys = []
    for index, raw in enumerate(names):
        name = (raw or "").strip(JS_SPACE)
        if name == "" or name == "__proto__":
            keys.append(None)
            continue
        if name in seen:
            raise InputProblem(
                f'{file} line {line}: the CSV header names column "{name}" twice '
                f"(columns {seen[name] + 1} and {index + 1})"
            )
        seen[name] = index
        keys.append(name)
    return keys


def _parquet(spark: SparkSession, path: str) -> DataFrame:
    """Each row as JSON text (nulls kept), numbered by its row within its file (Spark 3.5's _metadata.row_index)."""
    df = spark.read.parquet(path)
    columns = [F.col(f"`{c}`") for c in df.columns]
    return df.select(
        F.to_json(F.struct(*columns), {"ignoreNullFields": "false"}).alias("record"),
        (F.col("_metadata.row_index") + 1).alias("_line"),
        F.col("_metadata.file_path").alias("_file"),
    )
