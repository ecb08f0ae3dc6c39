/**
 * The Spark job `clue compile --engine spark` writes: the plan, and the PySpark program that runs it (the files under
 * templates/spark/, copied as they are, so the job runs anywhere Spark does without clue).
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { SqlPlan } from "../sql/plan.js";
import { clueRoot } from "./locate.js";

export const templatesDir = join(clueRoot, "templates", "spark");

/** The job's files besides plan.json, in the order README.md lists them. */
export const JOB_TEMPLATES = [
  "clue_job.py",
  "clue_inputs.py",
  "clue_udfs.py",
  "clue_json.py",
  "README.md",
] as const;

export interface JobFile {
  name: string;
  text: string;
}

/** The job's files: plan.json, then the templates. */
export function jobFiles(plan: SqlPlan): JobFile[] {
  return [
    { name: "plan.json", text: `${JSON.stringify(plan, null, 2)}\n` },
    ...JOB_TEMPLATES.map((name) => ({ name, text: readFileSync(join(templatesDir, name), "utf8") })),
  ];
}

/** Writes the job into `dir` (made when missing); returns the names written. */
export function writeJob(dir: string, plan: SqlPlan): string[] {
  mkdirSync(dir, { recursive: true });
  const files = jobFiles(plan);
  for (const file of files) writeFileSync(join(dir, file.name), file.text);
  return files.map((f) => f.name);
}
