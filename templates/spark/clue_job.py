"""A clue pipeline compiled to Spark SQL: reads plan.json (written by `clue compile --engine spark`), registers the
inputs as views, registers the Python UDFs the plan names, runs its steps and writes the output stage as JSON Lines
in exactly the text `clue run --engine js` writes.

    spark-submit clue_job.py [--plan plan.json] [--out FILE | --out-dir DIR] [--reports FILE] [--input NAME=PATH ...]

--plan        the plan (default: plan.json beside this file); repeat --plan/--out pairs to run several plans in
              one Spark session
--out         write the rows to FILE (through the driver, in order); default: stdout
--out-dir     write the rows with Spark as text part files in DIR: part-00000, part-00001, ... concatenated in name
              order they are the same bytes as --out (for outputs too big for the driver to stream)
--reports     write the plan's report views (counts, removals, rule results) to FILE as JSON
--input       read input NAME (its view, e.g. input_0, or its source name) from PATH instead of the plan's path:
              plans name local files, a cluster reads dbfs:/, abfss:// or s3:// paths

Exit codes: 0 done, 1 a plan, input or step failed (the message names which), 64 bad usage.
See README.md beside this file for spark-submit, Databricks and Fabric.
"""

from __future__ import annotations

import json
import os
import re
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)

MODULES = ("clue_json.py", "clue_inputs.py", "clue_udfs.py")


class JobError(Exception):
    """A failure the job explains in one message (exit 1)."""


class UsageProblem(Exception):
    """Bad arguments (exit 64)."""


def parse_args(argv: list) -> tuple:
    jobs: list = []
    inputs: dict = {}
    i = 0
    current = None

    def value(flag: str) -> str:
        if i + 1 >= len(argv):
            raise UsageProblem(f"{flag} needs a value")
        return argv[i + 1]

    while i < len(argv):
        arg = argv[i]
        if arg in ("-h", "--help"):
            print(__doc__)
            sys.exit(0)
        if arg == "--plan":
            current = new_job(value(arg))
            jobs.append(current)
        elif arg in ("--out", "--out-dir", "--reports"):
            key = {"--out": "out", "--out-dir": "out_dir", "--reports": "reports"}[arg]
            taken = current is not None and (
                current[key] is not None or (key != "reports" and (current["out"] or current["out_dir"]))
            )
            if current is None or taken:
                current = new_job(os.path.join(HERE, "plan.json"))
                jobs.append(current)
            current[key] = value(arg)
        elif arg == "--input":
            name, sep, path = value(arg).partition("=")
            if not sep or not name or not path:
                raise UsageProblem(f"--input takes NAME=PATH, not {argv[i + 1]!r}")
            inputs[name] = path
        else:
            raise UsageProblem(f"unknown argument {arg!r} (--plan, --out, --out-dir, --reports, --input; --help)")
        i += 2
    if not jobs:
        jobs.append(new_job(os.path.join(HERE, "plan.json")))
    return jobs, inputs


def new_job(plan: str) -> dict:
    return {"plan": plan, "out": None, "out_dir": None, "reports": None}


def session():
    from pyspark.sql import SparkSession

    spark = (
        SparkSession.builder.appName("clue")
        # Dates and datetimes are compared and printed as UTC, as clue does.
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.ui.showConsoleProgress", "false")
        .getOrCreate()
    )
    if spark.sparkContext.master.startswith("local"):
        spark.sparkContext.setLogLevel("WARN")
    # The SQL relies on null-on-error casts (clue's functions give null on bad input, never fail): Spark 4 turns
    # ANSI mode on by default, so say it.
    spark.conf.set("spark.sql.ansi.enabled", "false")
    for module in MODULES:
        spark.sparkContext.addPyFile(os.path.join(HERE, module))
    return spark


def load_plan(path: str) -> dict:
    try:
        with open(path, encoding="utf-8") as f:
            plan = json.load(f)
    except OSError as e:
        raise JobError(f"cannot read the plan {path}: {e.strerror}") from e
    except ValueError as e:
        raise JobError(f"the plan {path} is not JSON: {e}") from e
    if plan.get("engine") != "spark":
        raise JobError(
            f"the plan {path} is written for engine {plan.get('engine')!r}, not spark: "
            "make it with `clue compile --engine spark`"
        )
    return plan


def register_inputs(spark, plan: dict, inputs: dict) -> dict:
    from clue_inputs import InputProblem, read_input

    dead: dict = {}
    for spec in plan["inputs"]:
        spec = dict(spec)
        override = inputs.get(spec["view"]) or inputs.get(spec["source"])
        if override:
            spec["path"] = override
        if not spec["path"]:
            raise JobError(f"input {spec['view']} (source {spec['source']}) has no path: give it with --input")
        try:
            df, left = read_input(spark, spec)
            dead[spec["view"]] = {"path": spec["path"], **left}
        except InputProblem as e:
            raise JobError(f"input {spec['view']} (source {spec['source']}): {e}") from e
        except Exception as e:  # Spark's AnalysisException for a missing path, among others
            raise JobError(f"input {spec['view']} (source {spec['source']}) at {spec['path']}: {first_line(e)}") from e
        df.createOrReplaceTempView(spec["view"])
    return dead


def register_udfs(spark, plan: dict) -> None:
    import clue_udfs

    # The dialect's helpers first (the SQL calls them without listing them), then the plan's UDFs.
    for name in clue_udfs.HELPERS:
        fn, returns = clue_udfs.udf_for(name)
        spark.udf.register(name, fn, returns)
    signatures = plan.get("udfSignatures") or {}
    for name in plan.get("udfs", []):
        signature = signatures.get(name)
        function = signature["function"] if signature else name
        try:
            fn, returns = clue_udfs.udf_for(function, signature)
        except KeyError:
            raise JobError(
                f"the plan needs a UDF for clue function {function}, which this job's clue_udfs.py does not have"
            ) from None
        spark.udf.register(name if name.startswith("clue_") else f"clue_{name}", fn, returns)


def shared_views(plan: dict) -> set:
    """The top-level view steps that more than one later statement reads (or the output and a report both read).

    The runner materialises them like tables: Spark would otherwise compute a view (its Python UDFs included) again
    for every query that reads it, and the output and each report view are separate queries.
    """
    steps = plan["steps"]
    later_reads: dict = {}
    for index, step in enumerate(steps):
        if step["kind"] != "view":
            continue
        name = step["name"]
        pattern = re.compile(r"`" + re.escape(name) + r"`|(?<![\w`])" + re.escape(name) + r"(?![\w`])")
        count = sum(len(pattern.findall(statement_text(s))) for s in steps[index + 1 :])
        ends = [plan["output"]["view"], *(plan.get("reports") or {}).values()]
        count += sum(1 for view in ends if view == name)
        later_reads[name] = count
    return {name for name, count in later_reads.items() if count >= 2}


def statement_text(step: dict) -> str:
    if step["kind"] == "loop":
        return " ".join([step["until"], *(statement_text(s) for s in step["steps"])])
    return step["sql"]


def run_steps(spark, steps: list, where: str, shared: frozenset = frozenset()) -> None:
    for index, step in enumerate(steps):
        label = f"{where}step {index + 1}" + (f" ({step['note']})" if step.get("note") else "")
        kind = step["kind"]
        if kind == "loop":
            run_loop(spark, step, label)
            continue
        try:
            df = spark.sql(step["sql"])
            if kind not in ("view", "table"):
                raise JobError(f"{label}: unknown step kind {kind!r}")
            if kind == "table" or step.get("name") in shared:
                # Materialised now, and cut off from its lineage: the plans of later steps stay small (Spark's
                # optimiser inlines a chain of views into one expression tree, which can grow past the heap), and a
                # loop's plan does not grow every round.
                df = df.localCheckpoint(eager=True)
            df.createOrReplaceTempView(step["name"])
        except JobError:
            raise
        except Exception as e:
            raise JobError(f"{label} ({kind} {step.get('name')}) failed: {first_line(e)}") from e


def run_loop(spark, step: dict, label: str) -> None:
    limit = int(step["maxIterations"])
    for round_ in range(1, limit + 1):
        run_steps(spark, step["steps"], f"{label}, round {round_}, ")
        try:
            rows = spark.sql(step["until"]).collect()
        except Exception as e:
            raise JobError(f"{label}: its until check failed: {first_line(e)}") from e
        if len(rows) != 1 or len(rows[0]) != 1:
            raise JobError(f"{label}: its until check must give one row of one boolean, not {len(rows)} rows")
        if rows[0][0] is True:
            return
    raise JobError(f"{label} did not settle within its {limit} rounds (maxIterations)")


def check_invalid(spark, plan: dict) -> None:
    """Records whose value is not of its field's type stop the run (SQL keeps a column to one type), named."""
    view = (plan.get("reports") or {}).get("invalid")
    if not view:
        return
    rows = spark.sql(f"SELECT * FROM `{view}` ORDER BY input, line LIMIT 10").collect()
    if not rows:
        return
    inputs = plan["inputs"]
    lines = []
    for r in rows:
        path = inputs[r["input"]]["path"] if 0 <= r["input"] < len(inputs) else f"input {r['input']}"
        lines.append(f"  {path} line {r['line']}: {r['field']} is declared {r['type']} but holds {r['found']}")
    raise JobError(
        "records hold values not of their field's type (the SQL engines keep a field to one type; "
        "fix the data or the entity's type):\n" + "\n".join(lines)
    )


def ordered_output(spark, plan: dict):
    output = plan["output"]
    order = output.get("orderBy") or []
    # ORDER BY in SQL, so a key may say DESC or NULLS LAST as the compiler writes it.
    sql = f"SELECT * FROM `{output['view']}`" + (f" ORDER BY {', '.join(order)}" if order else "")
    return spark.sql(sql)


def write_rows(df, out, out_dir) -> int:
    from clue_json import to_json

    if "json" in df.columns:
        # The compiler's output: each row's JSON text, written by the SQL exactly as clue's JS engine writes it
        # (any other columns are the sort keys).
        df = df.select("json")
        line_of = _first
    else:
        # A view of plain columns (a hand-written plan): each row as an object of its columns.
        line_of = to_json
    if out_dir is not None:
        written = df.rdd.context.accumulator(0)

        def counted(row) -> str:
            written.add(1)
            return line_of(row)

        df.rdd.map(counted).saveAsTextFile(out_dir)
        return written.value
    count = 0
    if out is None:
        for row in df.toLocalIterator(prefetchPartitions=True):
            sys.stdout.write(line_of(row) + "\n")
            count += 1
        sys.stdout.flush()
        return count
    # Written beside, then renamed: the file appears whole once every row is in it, as clue's outputs do.
    partial = f"{out}.partial-{os.getpid()}"
    try:
        with open(partial, "w", encoding="utf-8", newline="\n") as stream:
            for row in df.toLocalIterator(prefetchPartitions=True):
                stream.write(line_of(row) + "\n")
                count += 1
        os.replace(partial, out)
    finally:
        if os.path.exists(partial):
            os.remove(partial)
    return count


def _first(row) -> str:
    return row[0]


def write_reports(spark, plan: dict, path: str, dead: dict) -> None:
    """The plan's report views (what `clue run` summarises: counts, removals, rules, matches, rejected records) as
    JSON: {"views": {name: [row, ...]}, "leftOut": {input view: {"path", "count", "lines"}}}."""
    from clue_json import to_json

    views = {}
    for name, view in (plan.get("reports") or {}).items():
        if name == "invalid" or not view:
            continue
        try:
            rows = spark.table(view).collect()
        except Exception as e:
            raise JobError(f"reading the report view {view} failed: {first_line(e)}") from e
        views[name] = [row.asDict() for row in rows]
    partial = f"{path}.partial-{os.getpid()}"
    with open(partial, "w", encoding="utf-8") as f:
        f.write(to_json({"views": views, "leftOut": dead}) + "\n")
    os.replace(partial, path)


def run_plan(spark, job: dict, inputs: dict) -> None:
    start = time.monotonic()
    plan = load_plan(job["plan"])
    dead = register_inputs(spark, plan, inputs)
    register_udfs(spark, plan)
    for statement in plan.get("prelude") or []:
        try:
            spark.sql(statement)
        except Exception as e:
            raise JobError(f"the plan's prelude failed: {first_line(e)}") from e
    run_steps(spark, plan["steps"], "", frozenset(shared_views(plan)))
    check_invalid(spark, plan)
    try:
        count = write_rows(ordered_output(spark, plan), job["out"], job["out_dir"])
    except Exception as e:
        raise JobError(f"writing the output view {plan['output']['view']} failed: {first_line(e)}") from e
    if job["reports"] is not None:
        write_reports(spark, plan, job["reports"], dead)
    # The next plan of the session starts afresh.
    spark.catalog.clearCache()
    where = job["out_dir"] or job["out"] or "stdout"
    stage = plan["output"].get("stage", "?")
    left = "".join(
        f"; {d['count']} records of {d['path']} left out (not readable: `clue run --engine js` says why)"
        for d in dead.values()
        if d["count"]
    )
    print(
        f"clue job: {count} rows of stage {stage} written to {where} in {time.monotonic() - start:.1f} s{left}.",
        file=sys.stderr,
    )


def first_line(error: Exception) -> str:
    """The gist of an error: a Java exception's own message rather than py4j's "An error occurred while calling"."""
    java = getattr(error, "java_exception", None)
    if java is not None:
        cause = java
        while cause.getCause() is not None:
            cause = cause.getCause()
        text = str(cause.toString())
    else:
        text = str(error).strip() or type(error).__name__
    return text.splitlines()[0]


def main(argv: list) -> int:
    try:
        jobs, inputs = parse_args(argv)
    except UsageProblem as e:
        print(f"clue job: {e}", file=sys.stderr)
        return 64
    spark = session()
    failed = 0
    try:
        # A plan that fails does not stop the others: each says how it ended.
        for job in jobs:
            try:
                run_plan(spark, job, inputs)
            except JobError as e:
                failed += 1
                print(f"clue job: {job['plan']}: {e}", file=sys.stderr)
    finally:
        # A local session is this job's own; on a cluster (Databricks, Fabric) the session is the platform's.
        if spark.sparkContext.master.startswith("local"):
            spark.stop()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
