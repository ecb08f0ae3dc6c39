"""The Splink side of `npm run bench:splink`: an untuned Splink 4 model (DuckDB) on one data set, scored pair by pair.

    python splink_bench.py --dataset febrl1|fake_1000 --data FILE [--seed 42] [--threshold 0.5] [--levels clue]

Prints one JSON object on stdout: the versions, the model (comparisons, blocking rules, trained prior, m and u), the
pairs predicted, precision, recall and F1, the clusters, and the time taken:

- import_s: importing pandas and splink (reported apart, as the brief asks);
- load_s: reading and cleaning the CSV with pandas;
- train_s: Linker construction, the prior from deterministic rules, u by random sampling, m by EM;
- predict_s: scoring every blocked pair;
- cluster_s: connected components of the pairs at or above the threshold;
- wall_s = train_s + predict_s + cluster_s (what the bench sets beside clue's time).

The models are Splink's own tutorial models, written as its documentation writes them, with no tuning and no labels:
- fake_1000: tutorials 04 and 05 ("Specifying and estimating a linkage model", "Predicting results"), which use this
  very data set;
- FEBRL dataset 1: the DuckDB example "Deduplicating the febrl3 dataset" (same generator, same columns), applied to
  dataset 1.
The ground truth (`cluster`, or the number inside `rec_id`) is read only to score the clusters at the end.

Both sides see the same values: the cleaning of clue's fixture projects (trim, lowercase, empty means missing) is
applied here with pandas, so the models, not the cleaning, are what is compared.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time

T0 = time.perf_counter()
import pandas as pd  # noqa: E402

import splink  # noqa: E402
import splink.comparison_level_library as cll  # noqa: E402
import splink.comparison_library as cl  # noqa: E402
from splink import ColumnExpression  # noqa: E402
from splink import DuckDBAPI, Linker, SettingsCreator, block_on  # noqa: E402

IMPORT_S = time.perf_counter() - T0


def load(dataset: str, path: str) -> tuple[pd.DataFrame, str, dict[str, str]]:
    """The records as strings (missing values as None), the unique id column, and each record's true cluster."""
    # Every column is read as text: FEBRL's postcode, date of birth, street number and ssn must stay strings, and
    # FEBRL puts a space after every comma.
    df = pd.read_csv(path, dtype=str, skipinitialspace=True, keep_default_na=False)
    df = df.rename(columns=lambda c: c.strip())
    for column in df.columns:
        df[column] = df[column].str.strip()
    if dataset == "febrl1":
        uid = "rec_id"
        truth = {r: re.match(r"^rec-(\d+)-", r).group(1) for r in df["rec_id"]}
        cleaned = [c for c in df.columns if c != "rec_id"]
    else:
        uid = "unique_id"
        truth = dict(zip(df["unique_id"], df["cluster"]))
        cleaned = ["first_name", "surname", "city", "email"]
        df = df.drop(columns=["cluster"])  # the labels never reach the model
    for column in cleaned:
        df[column] = df[column].str.lower()
    df = df.replace({"": None})
    return df, uid, truth


def clue_dob_levels() -> cl.CustomComparison:
    """FEBRL's date of birth with the levels clue's febrl-model writes: Levenshtein for Damerau-Levenshtein, and the
    date differences parsed as YYYYMMDD (DateOfBirthComparison parses them as ISO, so they never fire here)."""
    col = "date_of_birth"
    return cl.CustomComparison(
        output_column_name=col,
        comparison_levels=[
            cll.NullLevel(ColumnExpression(col).try_parse_date("%Y%m%d")),
            cll.ExactMatchLevel(col),
            cll.LevenshteinLevel(col, 1),
            *[
                cll.AbsoluteDateDifferenceLevel(
                    col, input_is_string=True, threshold=t, metric=m, datetime_format="%Y%m%d"
                )
                for t, m in [(1, "month"), (1, "year"), (10, "year")]
            ],
            cll.ElseLevel(),
        ],
    )


def model(dataset: str, uid: str, levels: str) -> tuple[SettingsCreator, list, float, list]:
    """Settings, deterministic rules and their recall, and the EM training blocking rules, as Splink's docs write
    them. With levels == "clue", FEBRL's two comparisons that clue cannot write level for level are replaced by what
    clue's febrl-model writes (a control: it separates what the levels change from what the engines do)."""
    if dataset == "febrl1":
        dob = cl.DateOfBirthComparison("date_of_birth", input_is_string=True, datetime_format="%Y%m%d")
        ssn = cl.DamerauLevenshteinAtThresholds("soc_sec_id", [2])
        if levels == "clue":
            dob = clue_dob_levels()
            ssn = cl.LevenshteinAtThresholds("soc_sec_id", [2])
        # docs/demos/examples/duckdb/febrl3.ipynb
        settings = SettingsCreator(
            unique_id_column_name=uid,
            link_type="dedupe_only",
            blocking_rules_to_generate_predictions=[
                block_on("soc_sec_id"),
                block_on("given_name"),
                block_on("surname"),
                block_on("date_of_birth"),
                block_on("postcode"),
            ],
            comparisons=[
                cl.NameComparison("given_name"),
                cl.NameComparison("surname"),
                dob,
                ssn,
                cl.ExactMatch("street_number").configure(term_frequency_adjustments=True),
                cl.ExactMatch("postcode").configure(term_frequency_adjustments=True),
            ],
        )
        deterministic = [
            block_on("soc_sec_id"),
            block_on("given_name", "surname", "date_of_birth"),
            "l.given_name = r.surname and l.surname = r.given_name and l.date_of_birth = r.date_of_birth",
        ]
        return settings, deterministic, 0.9, [block_on("date_of_birth"), block_on("postcode")]
    # docs/demos/tutorials/04_Estimating_model_parameters.ipynb
    settings = SettingsCreator(
        unique_id_column_name=uid,
        link_type="dedupe_only",
        blocking_rules_to_generate_predictions=[block_on("first_name", "city"), block_on("surname")],
        comparisons=[
            cl.NameComparison("first_name"),
            cl.NameComparison("surname"),
            cl.LevenshteinAtThresholds("dob", 1),
            cl.ExactMatch("city").configure(term_frequency_adjustments=True),
            cl.EmailComparison("email"),
        ],
    )
    deterministic = [
        block_on("first_name", "dob"),
        "l.first_name = r.first_name and levenshtein(r.surname, l.surname) <= 2",
        block_on("email"),
    ]
    return settings, deterministic, 0.7, [block_on("first_name", "surname"), block_on("dob")]


def pairs_within(groups) -> set[str]:
    """Every pair within each group as "a|b" with a < b, as test/integration/accuracy.test.ts builds them."""
    pairs: set[str] = set()
    for ids in groups:
        ordered = sorted(ids)
        for i in range(len(ordered)):
            for j in range(i + 1, len(ordered)):
                pairs.add(f"{ordered[i]}|{ordered[j]}")
    return pairs


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dataset", choices=["febrl1", "fake_1000"], required=True)
    parser.add_argument("--data", required=True)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--threshold", type=float, default=0.5)
    parser.add_argument(
        "--levels",
        choices=["splink", "clue"],
        default="splink",
        help="clue: FEBRL's dob and ssn comparisons as clue writes them (a control, not the bench's model)",
    )
    args = parser.parse_args()

    t = time.perf_counter()
    df, uid, truth = load(args.dataset, args.data)
    load_s = time.perf_counter() - t

    t = time.perf_counter()
    settings, deterministic, recall, em_rules = model(args.dataset, uid, args.levels)
    linker = Linker(df, settings, db_api=DuckDBAPI())
    linker.training.estimate_probability_two_random_records_match(deterministic, recall=recall)
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=args.seed)
    for rule in em_rules:
        linker.training.estimate_parameters_using_expectation_maximisation(rule)
    train_s = time.perf_counter() - t

    t = time.perf_counter()
    predictions = linker.inference.predict()
    scored = predictions.as_pandas_dataframe()
    predict_s = time.perf_counter() - t

    t = time.perf_counter()
    clustered = linker.clustering.cluster_pairwise_predictions_at_threshold(
        predictions, threshold_match_probability=args.threshold
    ).as_pandas_dataframe()
    cluster_s = time.perf_counter() - t

    clusters: dict[str, list[str]] = {}
    for cluster_id, record in zip(clustered["cluster_id"], clustered[uid]):
        clusters.setdefault(str(cluster_id), []).append(str(record))
    predicted = pairs_within(clusters.values())
    true_groups: dict[str, list[str]] = {}
    for record, cluster in truth.items():
        true_groups.setdefault(cluster, []).append(record)
    true_pairs = pairs_within(true_groups.values())
    tp = len(predicted & true_pairs)
    precision = tp / len(predicted) if predicted else 0.0
    recall_ = tp / len(true_pairs)
    f1 = 2 * precision * recall_ / (precision + recall_) if precision + recall_ else 0.0

    trained = linker.misc.save_model_to_json()
    import duckdb  # already loaded by splink

    json.dump(
        {
            "dataset": args.dataset,
            "versions": {
                "python": sys.version.split()[0],
                "splink": splink.__version__,
                "duckdb": duckdb.__version__,
                "pandas": pd.__version__,
            },
            "records": len(df),
            "threshold": args.threshold,
            "levels": args.levels,
            "seed": args.seed,
            "pairs_scored": len(scored),
            "pairs_at_threshold": int((scored["match_probability"] >= args.threshold).sum()),
            "true_pairs": len(true_pairs),
            "predicted": len(predicted),
            "true_positives": tp,
            "precision": precision,
            "recall": recall_,
            "f1": f1,
            "import_s": IMPORT_S,
            "load_s": load_s,
            "train_s": train_s,
            "predict_s": predict_s,
            "cluster_s": cluster_s,
            "wall_s": train_s + predict_s + cluster_s,
            "model": {
                "probability_two_random_records_match": trained["probability_two_random_records_match"],
                "comparisons": [
                    {
                        "output_column_name": c["output_column_name"],
                        "levels": [
                            {
                                "sql": level["sql_condition"],
                                "m": level.get("m_probability"),
                                "u": level.get("u_probability"),
                                "tf": level.get("tf_adjustment_column"),
                                "null": level.get("is_null_level", False),
                            }
                            for level in c["comparison_levels"]
                        ],
                    }
                    for c in trained["comparisons"]
                ],
            },
            "clusters": sorted(sorted(ids) for ids in clusters.values() if len(ids) > 1),
        },
        sys.stdout,
    )
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
