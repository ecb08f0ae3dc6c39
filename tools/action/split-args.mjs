// The action's `args` input as a list of arguments: split at whitespace the way a shell splits words, with '…' and
// "…" quoting and backslash escapes, but with no expansion of any kind ($VAR, $(…), globs, ~). The action never
// hands the input to a shell, so an argument such as `--reason "outside the window: hotfix $(date)"` arrives as
// typed.

/**
 * @param {string} text
 * @returns {string[]}
 */
export function splitArgs(text) {
  const args = [];
  let word = null;
  let quote = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote === "'") {
      if (c === "'") quote = null;
      else word += c;
    } else if (quote === '"') {
      if (c === '"') quote = null;
      else if (c === "\\" && i + 1 < text.length && '"\\$`'.includes(text[i + 1] ?? "")) word += text[++i];
      else word += c;
    } else if (/\s/.test(c)) {
      if (word !== null) args.push(word);
      word = null;
    } else if (c === "'" || c === '"') {
      quote = c;
      word ??= "";
    } else if (c === "\\" && text[i + 1] === "\n") {
      i++; // a line continuation, as in a shell
    } else if (c === "\\" && i + 1 < text.length) {
      word = (word ?? "") + text[++i];
    } else {
      word = (word ?? "") + c;
    }
  }
  if (quote !== null) throw new Error(`unterminated ${quote} quote`);
  if (word !== null) args.push(word);
  return args;
}
