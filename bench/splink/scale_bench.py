"""The Splink side of `npm run bench:scale`: Splink 4 on DuckDB, deterministic rules equivalent to bench:scale's.

    python scale_bench.py --data people.jsonl --clusters OUT.parquet [--threads N] [--memory-limit 8GB]

The records are bench/people.mjs's, each line with three fields clue computes itself and Splink's DuckDB cannot:
`phone_e164` (libphonenumber's E.164 form, null when invalid), `soundex_first` and `soundex_last`. They are given to
Splink ready-made, which favours Splink: its time has no phone parsing in it.

The rules are clue's, as Splink blocking rules (a pair is reported once, for the first rule that finds it):
    0  lower(email) equal                                              (clue: exact_email, 0.98 — merges)
    1  phone_e164 equal                                                (clue: phone_e164, 0.95 — queued)
    2  date_of_birth and soundex(last_name) equal, Jaro-Winkler of the full names >= 0.92   (name_and_dob_last)
    3  date_of_birth and soundex(first_name) equal, Jaro-Winkler of the full names >= 0.92  (name_and_dob_first)
`deterministic_link()` lists every pair any rule finds: what clue reports as merged + queued. Clusters are the
connected components of the pairs that merge in clue (rule 0 alone, at or above auto_approve_threshold 0.97), made by
`cluster_pairwise_predictions_at_threshold` on a second deterministic link with rule 0 only, and written to
--clusters (id, cluster) for the bench to compare with clue's golden records.

Prints one JSON object: versions, times (load_s, link_s, cluster_s, wall_s = link_s + cluster_s, load apart), the
pairs per rule, the candidate pairs each rule's equi-join makes (counted apart, untimed), and peak RSS (ru_maxrss).
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time

import duckdb
import splink
from splink import DuckDBAPI, Linker, SettingsCreator
from splink.blocking_analysis import count_comparisons_from_blocking_rule

FULL_NAME = "concat_ws(' ', {side}.first_name, {side}.last_name)"
JW = f"jaro_winkler_similarity({FULL_NAME.format(side='l')}, {FULL_NAME.format(side='r')}) >= 0.92"
EQUI = [
    "l.email_lower = r.email_lower",
    "l.phone_e164 = r.phone_e164",
    "l.date_of_birth = r.date_of_birth and l.soundex_last = r.soundex_last",
    "l.date_of_birth = r.date_of_birth and l.soundex_first = r.soundex_first",
]
RULES = [EQUI[0], EQUI[1], f"{EQUI[2]} and {JW}", f"{EQUI[3]} and {JW}"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", required=True)
    parser.add_argument("--clusters", required=True)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--memory-limit", default="8GB")
    parser.add_argument("--temp-directory", default=None)
    args = parser.parse_args()

    con = duckdb.connect()
    con.execute(f"SET threads = {args.threads}").fetchall()
    con.execute(f"SET memory_limit = '{args.memory_limit}'").fetchall()
    if args.temp_directory:
        con.execute(f"SET temp_directory = '{args.temp_directory}'").fetchall()

    t0 = time.perf_counter()
    # concat_ws skips nulls as clue's concat does not; clue's concat(first, " ", last) is null when a name is. A
    # record without a name never passes the Jaro-Winkler test in clue, so it must not here either.
    con.execute(
        f"""
        CREATE TABLE people AS
        SELECT id, lower(email) AS email_lower, phone_e164, date_of_birth, soundex_first, soundex_last,
               CASE WHEN first_name IS NULL OR last_name IS NULL THEN NULL ELSE first_name END AS first_name,
               CASE WHEN first_name IS NULL OR last_name IS NULL THEN NULL ELSE last_name END AS last_name
        FROM read_json('{args.data}', format = 'newline_delimited', columns = {{
            id: 'VARCHAR', email: 'VARCHAR', phone_e164: 'VARCHAR', date_of_birth: 'VARCHAR',
            soundex_first: 'VARCHAR', soundex_last: 'VARCHAR', first_name: 'VARCHAR', last_name: 'VARCHAR'
        }})
        """
    ).fetchall()
    load_s = time.perf_counter() - t0
    records = con.execute("SELECT count(*) FROM people").fetchall()[0][0]
    db_api = DuckDBAPI(connection=con)

    t1 = time.perf_counter()
    linker = Linker(
        "people",
        SettingsCreator(
            link_type="dedupe_only",
            unique_id_column_name="id",
            blocking_rules_to_generate_predictions=RULES,
            retain_matching_columns=False,
            retain_intermediate_calculation_columns=False,
        ),
        db_api,
    )
    pairs = linker.inference.deterministic_link()
    per_rule = dict(
        con.execute(f"SELECT match_key, count(*) FROM {pairs.physical_name} GROUP BY match_key").fetchall()
    )
    link_s = time.perf_counter() - t1

    t2 = time.perf_counter()
    merging = Linker(
        "people",
        SettingsCreator(
            link_type="dedupe_only",
            unique_id_column_name="id",
            blocking_rules_to_generate_predictions=[RULES[0]],
            retain_matching_columns=False,
            retain_intermediate_calculation_columns=False,
        ),
        db_api,
    )
    merged = merging.inference.deterministic_link()
    clusters = merging.clustering.cluster_pairwise_predictions_at_threshold(merged)
    con.execute(
        f"COPY (SELECT id, cluster_id AS cluster FROM {clusters.physical_name}) TO '{args.clusters}' (FORMAT parquet)"
    ).fetchall()
    cluster_s = time.perf_counter() - t2
    cluster_count = con.execute(f"SELECT count(DISTINCT cluster_id) FROM {clusters.physical_name}").fetchall()[0][0]

    # Untimed: the pairs each rule's equality join proposes before its Jaro-Winkler test (what "compared" means).
    candidates = [
        count_comparisons_from_blocking_rule(
            table_or_tables="people", blocking_rule=rule, link_type="dedupe_only", db_api=db_api, unique_id_column_name="id"
        )["number_of_comparisons_to_be_scored_post_filter_conditions"]
        for rule in EQUI
    ]

    json.dump(
        {
            "versions": {"splink": splink.__version__, "duckdb": duckdb.__version__, "python": sys.version.split()[0]},
            "threads": args.threads,
            "records": records,
            "load_s": load_s,
            "link_s": link_s,
            "cluster_s": cluster_s,
            "wall_s": link_s + cluster_s,
            "pairs": sum(per_rule.values()),
            "pairs_per_rule": {str(k): v for k, v in sorted(per_rule.items(), key=lambda kv: str(kv[0]))},
            "merged_pairs": per_rule.get(0, per_rule.get("0", 0)),
            "clusters": cluster_count,
            "candidates_per_rule": candidates,
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        },
        sys.stdout,
    )
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
