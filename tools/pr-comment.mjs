#!/usr/bin/env node
// The config PR's report: `clue diff` and `clue plan --env test` in the job summary, and in ONE comment on the pull
// request that every push edits in place (found again by a hidden HTML marker), kept under GitHub's 65,536-character
// limit for a comment body.
//
//   node tools/pr-comment.mjs --diff clue-diff.md --plan clue-plan.txt [--no-comment]
//   node tools/pr-comment.mjs --plan clue-plan.txt --env prod --key plan-prod --only-given --no-summary
//
// A missing file is reported as not run. The GitHub Action (action.yml) runs one command per step, so it uses the
// last form: --only-given leaves out the sections whose option was not given, --key gives each command (and
// environment) a comment of its own rather than one overwriting another's, --env names the plan's environment, and
// --no-summary leaves the job summary to the action, which has already written it. Environment (as GitHub Actions sets it): GITHUB_TOKEN, GITHUB_REPOSITORY,
// GITHUB_EVENT_PATH (the PR number), GITHUB_SERVER_URL, GITHUB_RUN_ID (the run's link), GITHUB_API_URL,
// GITHUB_STEP_SUMMARY. Plain Node ESM on purpose: the workflow runs it without building the project.
import { appendFile, readFile } from "node:fs/promises";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";

/** Hidden in the rendered comment; how the next run finds the comment to edit. */
export const MARKER = "<!-- clue:pr-comment -->";

/** The marker of the comment with this key (`--key`); no key is the shared comment of config-pr.yml. */
export function markerFor(key) {
  if (key === undefined || key === "") return MARKER;
  // The key ends up inside an HTML comment: nothing that could close it.
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(key))
    throw new Error(`--key must be letters, digits, . _ -: got "${key}"`);
  return `<!-- clue:pr-comment:${key} -->`;
}
/** GitHub refuses a comment body longer than this ("body is too long (maximum is 65536 characters)"). */
export const MAX_COMMENT_CHARS = 65_536;
/** GitHub takes at most 1 MiB of one step's summary; a UTF-16 unit is at most 3 bytes of UTF-8, so stay below. */
export const MAX_SUMMARY_CHARS = 340 * 1024;

/**
 * The body: the marker, a heading, each section under its own heading. While it is over `limit`, the longest
 * section is cut (at a line end, code fences closed) and ends with `notice`; the headings always stay.
 *
 * @param {{ title: string, body: string, code?: boolean }[]} sections  `code` bodies are shown verbatim in a fence
 * @param {{ heading?: string, footer?: string, notice?: string, limit?: number, marker?: string }} [options]
 * @returns {string}
 */
export function buildComment(sections, options = {}) {
  const {
    heading = "## clue",
    footer = "",
    notice = "… truncated",
    limit = MAX_COMMENT_CHARS,
    marker = MARKER,
  } = options;
  /** How many characters of each original body to keep; Infinity = all of it. */
  const keep = sections.map(() => Infinity);
  const render = () => {
    const parts = [marker, heading];
    sections.forEach((section, i) => {
      const full = section.body.trimEnd();
      const cut = (keep[i] ?? Infinity) < full.length;
      const text = cut ? cutAtLine(full, keep[i] ?? 0) : full;
      parts.push(`### ${section.title}`);
      const shown = section.code ? fence(text) : closeFences(text);
      parts.push(cut ? `${shown}\n\n${notice}` : shown);
    });
    if (footer) parts.push(footer);
    return `${parts.join("\n\n")}\n`;
  };
  let text = render();
  // Each round cuts the (now) longest body by the overflow. Cutting back to a line end only shortens it further,
  // so a round or two per section settles it; the bound just guarantees an end.
  for (let round = 0; text.length > limit && round < sections.length * 3; round++) {
    let longest = -1;
    let length = -1;
    sections.forEach((section, i) => {
      const shown = Math.min(section.body.trimEnd().length, keep[i] ?? Infinity);
      if (shown > length) [longest, length] = [i, shown];
    });
    if (length <= 0) break;
    const wasCut = keep[longest] !== Infinity;
    const overflow = text.length - limit + (wasCut ? 0 : notice.length + 2);
    keep[longest] = Math.max(0, length - overflow);
    text = render();
  }
  // Only headings left and still too long (a huge title or footer): a hard cut, so GitHub never refuses it.
  return text.length > limit ? `${text.slice(0, limit - notice.length - 2)}\n${notice}\n` : text;
}

/** The first `max` characters of `text`, cut back to the end of a line when there is one to cut at. */
export function cutAtLine(text, max) {
  if (text.length <= max) return text;
  let cut = text.slice(0, max);
  const newline = cut.lastIndexOf("\n");
  if (newline >= 0) cut = cut.slice(0, newline);
  // Never leave half of a surrogate pair behind.
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  return cut.trimEnd();
}

/** Text in a code fence longer than any backtick run at a line start inside it (as CommonMark asks). */
export function fence(text) {
  const runs = text.match(/^ {0,3}`{3,}/gm) ?? [];
  const longest = Math.max(2, ...runs.map((run) => run.trim().length));
  const ticks = "`".repeat(longest + 1);
  return `${ticks}text\n${text}\n${ticks}`;
}

/** Markdown cut inside a fenced block gets the fence closed, so the rest of the comment renders as Markdown. */
export function closeFences(markdown) {
  let open = null;
  for (const line of markdown.split("\n")) {
    const match = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (!match?.[1]) continue;
    const run = match[1];
    if (open === null) open = run;
    else if (run[0] === open[0] && run.length >= open.length && line.trim() === run) open = null;
  }
  return open === null ? markdown : `${markdown}\n${open}`;
}

/** The pull request's number from the event payload GitHub writes to GITHUB_EVENT_PATH; null outside a PR. */
export function pullRequestNumber(event) {
  const number = event?.pull_request?.number ?? event?.issue?.number;
  return Number.isInteger(number) ? number : null;
}

/** The link to this run, which holds the job summary with the full text. */
export function runUrl(env) {
  const server = env.GITHUB_SERVER_URL ?? "https://github.com";
  return `${server}/${env.GITHUB_REPOSITORY ?? ""}/actions/runs/${env.GITHUB_RUN_ID ?? ""}`;
}

/**
 * Creates the comment, or edits the one that carries `marker` (the first, oldest, one; any later duplicates are
 * left alone).
 *
 * @param {{ apiUrl: string, token: string, repository: string, issue: number, body: string, marker?: string,
 *   fetch?: typeof fetch }} options
 * @returns {Promise<{ action: "created" | "updated", id: number, url: string }>}
 */
export async function upsertComment(options) {
  const { apiUrl, token, repository, issue, body, marker = MARKER } = options;
  const request = makeRequest(apiUrl, token, options.fetch ?? fetch);
  const existing = await findComment(request, repository, issue, marker);
  if (existing) {
    const updated = await request("PATCH", `/repos/${repository}/issues/comments/${existing.id}`, { body });
    return { action: "updated", id: updated.id, url: updated.html_url };
  }
  const created = await request("POST", `/repos/${repository}/issues/${issue}/comments`, { body });
  return { action: "created", id: created.id, url: created.html_url };
}

/** Pages through the issue's comments (100 a page, the API's maximum) for the first that carries the marker. */
async function findComment(request, repository, issue, marker) {
  for (let page = 1; page <= 100; page++) {
    const comments = await request(
      "GET",
      `/repos/${repository}/issues/${issue}/comments?per_page=100&page=${page}`,
    );
    if (!Array.isArray(comments))
      throw new Error(`GitHub API: expected a list of comments, got ${typeof comments}`);
    const found = comments.find(
      (comment) => typeof comment?.body === "string" && comment.body.includes(marker),
    );
    if (found) return found;
    if (comments.length < 100) return null;
  }
  return null;
}

function makeRequest(apiUrl, token, fetchImpl) {
  const base = apiUrl.replace(/\/+$/, "");
  return async (method, path, body) => {
    const response = await fetchImpl(`${base}${path}`, {
      method,
      headers: {
        accept: "application/vnd.github+json",
        authorization: `Bearer ${token}`,
        "x-github-api-version": "2022-11-28",
        "user-agent": "clue-pr-comment",
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await response.text();
    if (!response.ok) {
      let message = text.slice(0, 300);
      try {
        message = JSON.parse(text).message ?? message;
      } catch {
        // not JSON: keep the text
      }
      throw new Error(`GitHub API ${method} ${path}: ${response.status} ${message}`);
    }
    return text === "" ? null : JSON.parse(text);
  };
}

/**
 * The sections of the report, from the files the workflow's other jobs wrote (absent when a step did not run).
 *
 * @param {{ diff?: string, plan?: string }} files
 * @param {{ env?: string, include?: ("diff" | "plan")[] }} [options]  `include`: the sections to show (default both)
 */
export function reportSections({ diff, plan }, options = {}) {
  const { env = "test", include = ["diff", "plan"] } = options;
  const planTitle = `Plan for ${env} (\`clue plan --env ${env}\`)`;
  const sections = [];
  if (include.includes("diff"))
    sections.push({
      title: "Config diff (`clue diff`)",
      body: diff ?? "_`clue diff` did not run or wrote nothing; see the workflow run._",
    });
  if (include.includes("plan"))
    sections.push(
      plan === undefined
        ? {
            title: planTitle,
            body:
              `_Not run: the \`${env}\` environment has no CLUE_CLIENT_SECRET secret (or this is a fork's pull ` +
              "request), or the job failed before planning; see the workflow run._",
          }
        : { title: planTitle, body: plan, code: true },
    );
  return sections;
}

async function readOptional(path) {
  if (!path) return undefined;
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    if (error?.code === "ENOENT") return undefined;
    throw error;
  }
}

export async function main(argv = process.argv.slice(2), env = process.env) {
  const { values } = parseArgs({
    args: argv,
    options: {
      diff: { type: "string" },
      plan: { type: "string" },
      env: { type: "string" },
      key: { type: "string" },
      "only-given": { type: "boolean" },
      "no-comment": { type: "boolean" },
      "no-summary": { type: "boolean" },
    },
    strict: true,
  });
  const marker = markerFor(values.key);
  const include = values["only-given"]
    ? /** @type {const} */ (["diff", "plan"]).filter((name) => values[name] !== undefined)
    : undefined;
  const sections = reportSections(
    { diff: await readOptional(values.diff), plan: await readOptional(values.plan) },
    { env: values.env, include },
  );
  const url = runUrl(env);
  const event = env.GITHUB_EVENT_PATH ? JSON.parse(await readFile(env.GITHUB_EVENT_PATH, "utf8")) : null;
  const head = event?.pull_request?.head?.sha;
  const footer = `<sub>${head ? `For ${head.slice(0, 7)}; ` : ""}[workflow run](${url})</sub>`;
  const heading = "## clue: what this pull request changes";

  // The summary has room for (nearly) everything; the comment points to it when it had to cut.
  const summary = buildComment(sections, {
    heading,
    marker,
    limit: MAX_SUMMARY_CHARS,
    notice: `… truncated; the full text is in the run's artifacts: ${url}`,
  });
  if (values["no-summary"]) {
    // the caller wrote the job summary
  } else if (env.GITHUB_STEP_SUMMARY) {
    // What @actions/core's summary.write() does, but from `env` rather than process.env, so a test can point it.
    await appendFile(env.GITHUB_STEP_SUMMARY, summary);
  } else {
    process.stdout.write(summary);
  }

  const issue = pullRequestNumber(event);
  if (values["no-comment"] || issue === null) {
    process.stderr.write(
      `pr-comment: ${issue === null ? "not a pull request event" : "--no-comment"}; no comment written\n`,
    );
    return 0;
  }
  if (!env.GITHUB_TOKEN || !env.GITHUB_REPOSITORY) {
    process.stderr.write("pr-comment: GITHUB_TOKEN and GITHUB_REPOSITORY are needed to comment\n");
    return 1;
  }
  const body = buildComment(sections, {
    heading,
    marker,
    footer,
    notice: `… truncated; the full text is in the job summary: ${url}`,
  });
  const result = await upsertComment({
    apiUrl: env.GITHUB_API_URL ?? "https://api.github.com",
    token: env.GITHUB_TOKEN,
    repository: env.GITHUB_REPOSITORY,
    issue,
    body,
    marker,
  });
  process.stderr.write(`pr-comment: ${result.action} ${result.url} (${body.length} characters)\n`);
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error) => {
      process.stderr.write(`pr-comment: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
