/* eslint-disable no-control-regex -- matching control characters is what this module is for */
/**
 * Escape sequences a terminal acts on: CSI (`ESC [` … final byte, or the 8-bit CSI U+009B), OSC / DCS / SOS / PM /
 * APC strings up to their terminator (BEL or ST), and two-character `ESC x` sequences. Each alternative consumes
 * characters its next step cannot, so matching is linear.
 */
const ESCAPE_SEQUENCE =
  /\u001b\[[0-?]*[ -/]*[@-~]?|\u009b[0-?]*[ -/]*[@-~]?|[\u001b][\]PX^_][^\u0007\u001b\u009c]*(?:\u0007|\u001b\\|\u009c)?|[\u009d\u0090\u0098\u009e\u009f][^\u0007\u001b\u009c]*(?:\u0007|\u001b\\|\u009c)?|\u001b[ -/]*[0-~]?/g;
/**
 * Every other C0 and C1 control but newline and tab (a bare CR ends a line for GitHub's runner and rewrites a
 * terminal's line), DEL, and the bidirectional overrides that make a terminal show text in another order than it is.
 */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Makes a text that came from outside clue (a target's error message, a lock holder's name, a release's fields) safe
 * to print on a terminal and in a CI log: terminal escape sequences and control characters are removed, and GitHub
 * workflow commands are neutralised — a line that starts with `::` after leading whitespace (`::add-mask::`,
 * `::error::`, `::set-output`) gets a `\` in front, and `##[` (the older form, acted on anywhere in a line) becomes
 * `## [`. Newlines and tabs are kept. `midLine`: the text is printed after other text on its first line, which
 * therefore cannot start a workflow command (so a value `::1` is shown as it is).
 */
export function safeTerminalText(text: string, { midLine = false } = {}): string {
  if (!UNSAFE.test(text)) return text;
  return text
    .replace(ESCAPE_SEQUENCE, "")
    .replace(CONTROL, "")
    .replace(midLine ? /(?<=\n)([^\S\n]*)::/g : /^([^\S\n]*)::/gm, "$1\\::")
    .replaceAll("##[", "## [");
}

/** Anything the sanitiser would change: most texts have none, and are returned as they are. */
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]|::|##\[/;

/**
 * The same guarantees for JSON that clue prints (`--format json`): JSON.stringify already escapes C0 controls, so
 * what is left — C1 controls, bidirectional overrides, `##[` — can only be inside strings, where `\uXXXX` escapes
 * keep the document's meaning exactly. A line of pretty-printed JSON never starts with `::`.
 */
export function safeJsonText(json: string): string {
  return json
    .replace(
      /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g,
      (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
    )
    .replaceAll("##[", "##\\u005b");
}
