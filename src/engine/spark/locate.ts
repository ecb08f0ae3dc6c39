/**
 * Where the Spark that `clue run --engine spark` submits to is: CLUE_SPARK_SUBMIT (a spark-submit), SPARK_HOME, the
 * .venv-spark/ that scripts/spark-env.sh makes (in clue's own folder, or the project's), or spark-submit on PATH.
 */
import { existsSync, readdirSync } from "node:fs";
import { delimiter, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** clue's own folder: the checkout, or the installed package (dist/engine/spark/ is three levels down). */
export const clueRoot = fileURLToPath(new URL("../../../", import.meta.url));

export const VENV = ".venv-spark";

export interface SparkInstall {
  /** The spark-submit to run. */
  submit: string;
  /** Environment for it: the venv's Python for the driver and the workers, SPARK_HOME when known. */
  env: Record<string, string>;
  /** How it was found, for messages. */
  from: string;
}

export const INSTALL_HINT =
  "make the local Spark with scripts/spark-env.sh in clue's checkout (a Python venv, .venv-spark/, with pyspark " +
  "3.5 from PyPI; needs Java 17), or install Spark yourself and set SPARK_HOME or CLUE_SPARK_SUBMIT " +
  "(pip install pyspark==3.5.7 phonenumbers==9.0.43 gives one)";

/** The Spark to use, or undefined when none is installed. Looks at the environment and the file system only. */
export function findSpark(
  projectRoot: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): SparkInstall | undefined {
  const explicit = env.CLUE_SPARK_SUBMIT;
  if (explicit) return { submit: explicit, env: {}, from: "CLUE_SPARK_SUBMIT" };
  if (env.SPARK_HOME) {
    const submit = join(env.SPARK_HOME, "bin", "spark-submit");
    if (existsSync(submit)) return { submit, env: {}, from: "SPARK_HOME" };
  }
  for (const root of [clueRoot, projectRoot]) {
    if (root === undefined) continue;
    const venv = join(root, VENV);
    const submit = join(venv, "bin", "spark-submit");
    if (existsSync(submit)) return { submit, env: venvEnv(venv, env), from: venv };
  }
  for (const dir of (env.PATH ?? "").split(delimiter)) {
    if (dir === "") continue;
    const submit = join(dir, "spark-submit");
    if (existsSync(submit)) return { submit, env: {}, from: "PATH" };
  }
  return undefined;
}

/**
 * pyspark's bin/spark-submit finds Spark through whichever `python3` is first on PATH, and the workers run
 * whatever PYSPARK_PYTHON says: both are pointed at the venv, so nothing outside it is needed.
 */
function venvEnv(venv: string, env: NodeJS.ProcessEnv): Record<string, string> {
  const python = join(venv, "bin", "python");
  const lib = join(venv, "lib");
  const sparkHome = pysparkHome(lib);
  return {
    PATH: [dirname(python), env.PATH ?? ""].join(delimiter),
    PYSPARK_PYTHON: python,
    PYSPARK_DRIVER_PYTHON: python,
    ...(sparkHome ? { SPARK_HOME: sparkHome } : {}),
  };
}

/** lib/python3.X/site-packages/pyspark inside a venv, if there. */
function pysparkHome(lib: string): string | undefined {
  const pythons = existsSync(lib) ? readdirSync(lib).filter((name) => name.startsWith("python3")) : [];
  return pythons.map((name) => join(lib, name, "site-packages", "pyspark")).find((home) => existsSync(home));
}
