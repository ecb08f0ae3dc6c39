import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { choiceOption, parseCommandLine } from "../../src/cli/command-line.js";
import { UsageError } from "../../src/cli/errors.js";

const repo = fileURLToPath(new URL("../../", import.meta.url));

describe("parseCommandLine", () => {
  const options = { env: { type: "string" }, yes: { type: "boolean" } } as const;

  it("parses the options a command takes", () => {
    const parsed = parseCommandLine(["--env", "local", "--yes"], "usage", options);
    expect(parsed?.values).toEqual({ env: "local", yes: true });
  });

  it("refuses an option the command does not take, and positionals unless it takes them", () => {
    expect(() => parseCommandLine(["--envv", "x"], "usage", options)).toThrow(
      expect.objectContaining({ code: "ERR_PARSE_ARGS_UNKNOWN_OPTION" }),
    );
    expect(() => parseCommandLine(["plan.json"], "usage", options)).toThrow(
      expect.objectContaining({ code: "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL" }),
    );
    const parsed = parseCommandLine(["plan.json", "--yes"], "usage", options, { positionals: true });
    expect(parsed?.positionals).toEqual(["plan.json"]);
  });

  // The help path prints to stdout: run through the real CLI, one command of each shape.
  it.each(["types", "plan", "apply", "init", "unlock"])(
    "clue %s --help prints its usage, exit 0",
    (command) => {
      const result = spawnSync(process.execPath, [join(repo, "bin/clue.js"), command, "-h"], {
        encoding: "utf8",
      });
      expect(result.status, result.stderr).toBe(0);
      expect(result.stdout).toMatch(new RegExp(`^Usage: clue ${command} `));
      expect(result.stderr).toBe("");
    },
  );
});

describe("choiceOption", () => {
  it("gives the first choice when the option is not given, the value when it is one of them", () => {
    expect(choiceOption("--format", undefined, ["human", "json"])).toBe("human");
    expect(choiceOption("--format", "json", ["human", "json"])).toBe("json");
  });

  it("refuses anything else, listing the choices", () => {
    expect(() => choiceOption("--format", "xml", ["human", "json", "markdown"])).toThrow(
      new UsageError('unknown --format "xml"; use human, json or markdown'),
    );
    expect(() => choiceOption("--format", "JSON", ["json"])).toThrow(
      new UsageError('unknown --format "JSON"; use json'),
    );
  });
});
