"""The Splink side of `npm run bench:scale`: deterministic linking of the generated people on DuckDB, with the same
rules as clue's side of the bench (bench/scale.mjs writes both), then connected components.

    python splink_scale.py --data people.jsonl --out clusters.csv [--threads N] [--memory-limit 6GB]

A pair links when any rule holds (Splink's deterministic_link, whose rules are its blocking rules):
- lower(email) equal;
- the phone's digits equal;
- lower(last_name) and date_of_birth equal and the Jaro-Winkler similarity of the lower-cased first names >= 0.9.

Writes each record's cluster to --out (unique_id, cluster_id) and prints one JSON object on stdout: the versions,
the pairs linked, the clusters, and the times (import_s apart; load_s reading the JSON Lines into DuckDB; link_s;
cluster_s; write_s; wall_s = load_s + link_s + cluster_s + write_s).
"""

from __future__ import annotations

import argparse
import json
import time

T0 = time.perf_counter()
import duckdb  # noqa: E402

import splink  # noqa: E402
from splink import DuckDBAPI, Linker, SettingsCreator  # noqa: E402

IMPORT_S = time.perf_counter() - T0

RULES = [
    "lower(l.email) = lower(r.email)",
    "regexp_replace(l.phone, '[^0-9]', '', 'g') = regexp_replace(r.phone, '[^0-9]', '', 'g')",
    "lower(l.last_name) = lower(r.last_name) AND l.date_of_birth = r.date_of_birth"
    " AND jaro_winkler_similarity(lower(l.first_name), lower(r.first_name)) >= 0.9",
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--threads", type=int)
    parser.add_argument("--memory-limit")
    args = parser.parse_args()

    con = duckdb.connect()

    def run(sql: str) -> list:
        # DuckDB 2's Python connection must finish one result before the next statement.
        return con.execute(sql).fetchall()

    if args.threads:
        run(f"SET threads = {args.threads}")
    if args.memory_limit:
        run(f"SET memory_limit = '{args.memory_limit}'")
    t = time.perf_counter()
    run(
        "CREATE TABLE people AS SELECT id AS unique_id, email, phone, first_name, last_name, date_of_birth "
        f"FROM read_json('{args.data}', format = 'newline_delimited', columns = {{"
        "id: 'VARCHAR', email: 'VARCHAR', phone: 'VARCHAR', first_name: 'VARCHAR', last_name: 'VARCHAR', "
        "date_of_birth: 'VARCHAR'})"
    )
    load_s = time.perf_counter() - t

    t = time.perf_counter()
    settings = SettingsCreator(
        link_type="dedupe_only",
        blocking_rules_to_generate_predictions=RULES,
        retain_intermediate_calculation_columns=False,
        retain_matching_columns=False,
    )
    linker = Linker("people", settings, db_api=DuckDBAPI(connection=con))
    pairs = linker.inference.deterministic_link()
    linked = run(f"SELECT count(*) FROM {pairs.physical_name}")[0][0]
    link_s = time.perf_counter() - t

    t = time.perf_counter()
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(pairs, None)
    cluster_s = time.perf_counter() - t

    t = time.perf_counter()
    run(f"COPY (SELECT unique_id, cluster_id FROM {clusters.physical_name}) TO '{args.out}' (HEADER, DELIMITER ',')")
    count = run(f"SELECT count(DISTINCT cluster_id) FROM {clusters.physical_name}")[0][0]
    write_s = time.perf_counter() - t

    print(
        json.dumps(
            {
                "splink": splink.__version__,
                "duckdb": duckdb.__version__,
                "pairs": linked,
                "clusters": count,
                "import_s": IMPORT_S,
                "load_s": load_s,
                "link_s": link_s,
                "cluster_s": cluster_s,
                "write_s": write_s,
                "wall_s": load_s + link_s + cluster_s + write_s,
            }
        )
    )


if __name__ == "__main__":
    main()
