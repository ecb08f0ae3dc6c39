/**
 * Runs a written job (job.ts) on a Spark (locate.ts) with spark-submit, as a child process. Spark logs a great deal
 * on stderr; only the job's own lines (`clue job: ...`) are passed on, and on a failure the last lines of the log
 * too, when the job said nothing itself (a Python traceback, a JVM that would not start).
 */
import { spawn } from "node:child_process";
import { totalmem } from "node:os";
import { join } from "node:path";
import type { SparkInstall } from "./locate.js";

export interface SubmitOptions {
  install: SparkInstall;
  jobDir: string;
  /**
   * The plans to run, each with where its rows go (a file, or a folder of part files): several plans run in one
   * Spark session, whose start is most of a small run's time.
   */
  runs: { plan: string; out: string; outDir?: boolean; reports?: string }[];
  /** Spark master; default CLUE_SPARK_MASTER or local[*]. */
  master?: string;
  /**
   * A local run's driver memory (where a local Spark does all its work), as clue's --memory-limit spells it (4GB,
   * 512MB); default half the machine's memory (Spark's own default, 1 GB, runs out at about a million records).
   */
  driverMemory?: string;
  /** Each `clue job:` line of stderr, as it comes. */
  onMessage?: (line: string) => void;
}

export interface SubmitResult {
  code: number;
  /** The job's own messages. */
  messages: string[];
  /** The last lines of everything else on stderr, for a failure the job could not explain. */
  logTail: string[];
}

const TAIL_LINES = 40;

export const LOCAL_JAVA_OPTIONS = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC";

/** spark-submit's arguments for a local run: small shuffles, no web UI, nothing that outlives the run. */
export function submitArgs(options: SubmitOptions, env: NodeJS.ProcessEnv = process.env): string[] {
  const master = options.master ?? env.CLUE_SPARK_MASTER ?? "local[*]";
  const local = master.startsWith("local");
  const conf = (key: string, value: string) => ["--conf", `${key}=${value}`];
  return [
    "--master",
    master,
    ...conf("spark.ui.enabled", "false"),
    // 200 shuffle partitions (the default) cost far more than they save on one machine.
    ...(local ? conf("spark.sql.shuffle.partitions", "4") : []),
    // A local run is mostly short queries: the JVM's optimising compiler and parallel collector cost more CPU than
    // they save (measured: a golden-records job took 2.4 times as long with the JVM's defaults on a busy 2-core
    // machine). CLUE_SPARK_JAVA_OPTIONS replaces these, for long runs on a big machine.
    ...(local ? ["--driver-java-options", env.CLUE_SPARK_JAVA_OPTIONS ?? LOCAL_JAVA_OPTIONS] : []),
    ...(local
      ? ["--driver-memory", sparkSize(options.driverMemory) ?? `${Math.floor(totalmem() / 2 ** 21)}m`]
      : []),
    join(options.jobDir, "clue_job.py"),
    ...options.runs.flatMap((r) => [
      "--plan",
      r.plan,
      r.outDir ? "--out-dir" : "--out",
      r.out,
      ...(r.reports ? ["--reports", r.reports] : []),
    ]),
  ];
}

/** A size as clue's --memory-limit takes it (4GB, 1.5GiB, 512MB) in Spark's spelling (whole mebibytes: 4096m). */
export function sparkSize(size: string | undefined): string | undefined {
  const m = /^(\d+(?:\.\d+)?)\s*([KMGT])i?B$/i.exec(size?.trim() ?? "");
  if (!m) return undefined;
  const power = "KMGT".indexOf((m[2] as string).toUpperCase()) - 1;
  return `${Math.max(1, Math.floor(Number(m[1]) * 1024 ** power))}m`;
}

export function submit(options: SubmitOptions, signal?: AbortSignal): Promise<SubmitResult> {
  const { install } = options;
  return new Promise((resolve, reject) => {
    const child = spawn(install.submit, submitArgs(options), {
      env: { ...process.env, ...install.env },
      stdio: ["ignore", "pipe", "pipe"],
      ...(signal ? { signal } : {}),
    });
    const messages: string[] = [];
    const logTail: string[] = [];
    let pending = "";
    const line = (text: string) => {
      if (text.startsWith("clue job:")) {
        messages.push(text);
        options.onMessage?.(text);
      } else if (text.trim() !== "") {
        logTail.push(text);
        if (logTail.length > TAIL_LINES) logTail.shift();
      }
    };
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (chunk: string) => {
      pending += chunk;
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      lines.forEach(line);
    });
    // The job writes its rows to files; anything on stdout is Spark's or Python's chatter, kept with the log.
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (chunk: string) => chunk.split("\n").forEach(line));
    child.on("error", (error: NodeJS.ErrnoException) => {
      if (error.name === "AbortError") return;
      reject(
        new Error(
          `cannot start ${install.submit} (from ${install.from}): ${error.code === "ENOENT" ? "no such file" : error.message}`,
        ),
      );
    });
    child.on("close", (code, killedBy) => {
      if (pending !== "") line(pending);
      resolve({ code: code ?? (killedBy ? 128 : 1), messages, logTail });
    });
  });
}
