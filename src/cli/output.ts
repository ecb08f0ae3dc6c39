import type { Output } from "../format/formatter.js";

/** Writes a formatter's output: text to stdout; annotations and the job summary through @actions/core. */
export async function writeOutput(
  output: Output,
  write: (text: string) => void = (t) => void process.stdout.write(t),
): Promise<void> {
  if (output.text) write(output.text);
  if (!output.annotations && output.summary === undefined) return;
  // Loaded only for the github format: it is the one place clue talks to the Actions runner.
  const core = await import("@actions/core");
  for (const a of output.annotations ?? []) {
    const properties = {
      title: a.title,
      file: a.file,
      startLine: a.startLine,
      endLine: a.endLine,
      // GitHub ignores columns on a multi-line range; send them only for a single line.
      ...(a.startLine === a.endLine ? { startColumn: a.startColumn, endColumn: a.endColumn } : {}),
    };
    if (a.severity === "error") core.error(a.message, properties);
    else if (a.severity === "warning") core.warning(a.message, properties);
    else core.notice(a.message, properties);
  }
  // Outside a workflow (no GITHUB_STEP_SUMMARY) there is nowhere to write the summary; the annotations suffice.
  if (output.summary !== undefined && process.env.GITHUB_STEP_SUMMARY) {
    try {
      await core.summary.addRaw(output.summary).write();
    } catch (error) {
      // The annotations are out already; a summary the runner cannot take is worth a warning, not a failed step.
      core.warning(
        `clue could not write the job summary: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
}
