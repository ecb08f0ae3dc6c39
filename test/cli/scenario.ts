import { readFileSync, writeFileSync } from "node:fs";

/**
 * A golden CLI scenario (after Spectral's): files to lay out, a command, and the exact stdout and exit status
 * expected. Sections start with `=== NAME [args]`; text before the first section describes the scenario.
 *
 *   === fixture NAME               copy test/fixtures/NAME/ into the project first
 *   === file PATH                  a file, with the section's text as its content
 *   === file-base64 PATH           a file whose content is base64 (binary input)
 *   === file-repeat COUNT PATH     a file of the section's text repeated COUNT times (huge input)
 *   === command                    `clue ...`, split on spaces
 *   === status / stdout / stderr   what the command must exit with and print
 *   === summary                    the GitHub job summary it must write
 */
export interface Scenario {
  path: string;
  description: string;
  sections: Section[];
}

export interface Section {
  name: string;
  args: string[];
  body: string;
}

const HEADER = /^=== (\S+)(.*)$/;

export function readScenario(path: string): Scenario {
  const lines = readFileSync(path, "utf8").split("\n");
  const description: string[] = [];
  const sections: Section[] = [];
  let current: { name: string; args: string[]; lines: string[] } | undefined;
  const close = () => {
    if (current) sections.push({ name: current.name, args: current.args, body: bodyOf(current.lines) });
  };
  for (const line of lines) {
    const header = HEADER.exec(line);
    if (header) {
      close();
      current = {
        name: header[1] ?? "",
        args: (header[2] ?? "").trim().split(/\s+/).filter(Boolean),
        lines: [],
      };
    } else if (current) current.lines.push(line);
    else description.push(line);
  }
  close();
  return { path, description: description.join("\n").trim(), sections };
}

/** A section's text ends with exactly one newline, however many blank lines separate it from the next header. */
function bodyOf(lines: string[]): string {
  return normalizeBody(lines.join("\n"));
}

/** Text as a section holds it: trailing blank lines dropped, one final newline (none when empty). */
export function normalizeBody(text: string): string {
  const trimmed = text.replace(/\n+$/, "");
  return trimmed === "" ? "" : `${trimmed}\n`;
}

export function section(scenario: Scenario, name: string): Section | undefined {
  return scenario.sections.find((s) => s.name === name);
}

/** Rewrites the expected sections from actual results (UPDATE_SCENARIOS=1), keeping everything else as written. */
export function writeScenario(scenario: Scenario, actual: Record<string, string>): void {
  const names = new Set(Object.keys(actual));
  const kept = scenario.sections.filter((s) => !names.has(s.name));
  const text = [
    scenario.description,
    ...kept.map((s) => `=== ${[s.name, ...s.args].join(" ")}\n${s.body}`),
    ...Object.entries(actual).map(
      ([name, body]) => `=== ${name}\n${body}${body.endsWith("\n") || body === "" ? "" : "\n"}`,
    ),
  ];
  writeFileSync(scenario.path, `${text.join("\n")}`.replace(/\n{3,}/g, "\n\n"));
}
