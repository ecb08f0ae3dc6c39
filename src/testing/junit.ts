import type { TestResult } from "./run-tests.js";

/** JUnit XML, the format CI systems show test results from. */
export function renderJunit(results: readonly TestResult[]): string {
  const failures = results.filter((r) => r.status === "failed").length;
  const errors = results.filter((r) => r.status === "error").length;
  const skipped = results.filter((r) => r.status === "skipped").length;
  const time = results.reduce((t, r) => t + r.seconds, 0);
  const cases = results.map((r) => {
    const open = `    <testcase classname="clue.${escape(r.file)}" name="${escape(r.name)}" file="${escape(r.file)}" time="${r.seconds.toFixed(3)}"`;
    const body = r.details.join("\n");
    if (r.status === "failed")
      return `${open}>\n      <failure message="${escape(r.details[0] ?? "failed")}">${escape(body)}</failure>\n    </testcase>`;
    if (r.status === "error")
      return `${open}>\n      <error message="${escape(r.details[0] ?? "error")}">${escape(body)}</error>\n    </testcase>`;
    if (r.status === "skipped")
      return `${open}>\n      <skipped message="${escape(r.details[0] ?? "skipped")}"/>\n    </testcase>`;
    if (r.dq.length > 0)
      return `${open}>\n      <system-out>${escape(r.dq.join("\n"))}</system-out>\n    </testcase>`;
    return `${open}/>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="clue test" tests="${results.length}" failures="${failures}" errors="${errors}" skipped="${skipped}" time="${time.toFixed(3)}">`,
    `  <testsuite name="clue test" tests="${results.length}" failures="${failures}" errors="${errors}" skipped="${skipped}" time="${time.toFixed(3)}">`,
    ...cases,
    "  </testsuite>",
    "</testsuites>",
    "",
  ].join("\n");
}

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g;

function escape(text: string): string {
  return (
    text
      .replaceAll("&", "&amp;")
      .replaceAll("<", "&lt;")
      .replaceAll(">", "&gt;")
      .replaceAll('"', "&quot;")
      // XML 1.0 cannot carry most control characters at all, escaped or not.
      .replace(CONTROL_CHARACTERS, "")
  );
}
