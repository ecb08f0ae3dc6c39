import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  MARKER,
  MAX_COMMENT_CHARS,
  buildComment,
  closeFences,
  cutAtLine,
  fence,
  main,
  markerFor,
  pullRequestNumber,
  reportSections,
  runUrl,
  upsertComment,
} from "../../tools/pr-comment.mjs";

const notice = "… truncated; the full text is in the job summary: https://github.com/o/r/actions/runs/7";

function lines(prefix: string, count: number, width = 60): string {
  return Array.from({ length: count }, (_, i) => `${prefix} ${i} ${"x".repeat(width)}`).join("\n");
}

describe("buildComment", () => {
  it("starts with the hidden marker and keeps every section whole when it fits", () => {
    const body = buildComment(
      [
        { title: "Config diff", body: "| a | b |\n| --- | --- |\n| 1 | 2 |\n" },
        { title: "Plan for test", body: "  + entities/Person\n", code: true },
      ],
      { heading: "## clue", footer: "<sub>run</sub>", notice },
    );
    expect(body.startsWith(`${MARKER}\n`)).toBe(true);
    expect(body).toBe(
      [
        MARKER,
        "## clue",
        "### Config diff",
        "| a | b |\n| --- | --- |\n| 1 | 2 |",
        "### Plan for test",
        "```text\n  + entities/Person\n```",
        "<sub>run</sub>\n",
      ].join("\n\n"),
    );
    expect(body).not.toContain("truncated");
  });

  it("cuts only the longest section, at a line end, keeps the headings and links to the full text", () => {
    const diff = lines("diff", 20);
    const plan = lines("plan", 5_000);
    const body = buildComment(
      [
        { title: "Config diff", body: diff },
        { title: "Plan for test", body: plan, code: true },
      ],
      { footer: "<sub>footer</sub>", notice },
    );
    expect(body.length).toBeLessThanOrEqual(MAX_COMMENT_CHARS);
    expect(body.length).toBeGreaterThan(MAX_COMMENT_CHARS - 200); // cut no more than needed
    expect(body).toContain(diff); // the short section is whole
    expect(body).toContain("### Config diff");
    expect(body).toContain("### Plan for test");
    expect(body.endsWith("<sub>footer</sub>\n")).toBe(true);
    expect(body.match(/truncated/g)).toHaveLength(1);
    // The plan's fence is closed before the notice, and the cut fell on a line end.
    const planPart = body.slice(
      body.indexOf("```text\n") + "```text\n".length,
      body.indexOf(`\n\`\`\`\n\n${notice}`),
    );
    expect(planPart.length).toBeGreaterThan(0);
    expect(plan.startsWith(`${planPart}\n`)).toBe(true);
  });

  it("cuts several sections when cutting the longest is not enough", () => {
    const body = buildComment(
      [
        { title: "A", body: lines("a", 900) },
        { title: "B", body: lines("b", 1_000) },
      ],
      { notice, limit: 20_000 },
    );
    expect(body.length).toBeLessThanOrEqual(20_000);
    expect(body.match(/truncated/g)).toHaveLength(2);
    expect(body).toContain("### A");
    expect(body).toContain("### B");
  });

  it("closes a Markdown code fence left open by the cut", () => {
    const diff = `## clue diff\n\n\`\`\`yaml\n${lines("line", 2_000)}\n\`\`\`\n\nafter`;
    const body = buildComment([{ title: "Config diff", body: diff }], { notice, limit: 10_000 });
    expect(body.length).toBeLessThanOrEqual(10_000);
    const fences = body.split("\n").filter((line) => line.startsWith("```"));
    expect(fences).toEqual(["```yaml", "```"]);
    expect(body).toContain(`\n\`\`\`\n\n${notice}`);
  });

  it("never exceeds the limit, even with one enormous line or a huge heading", () => {
    const oneLine = buildComment([{ title: "Plan", body: "y".repeat(200_000), code: true }], { notice });
    expect(oneLine.length).toBeLessThanOrEqual(MAX_COMMENT_CHARS);
    expect(oneLine).toContain(notice);
    const hugeHeading = buildComment([{ title: "T", body: "b" }], { heading: "h".repeat(70_000), notice });
    expect(hugeHeading.length).toBeLessThanOrEqual(MAX_COMMENT_CHARS);
    expect(hugeHeading.startsWith(MARKER)).toBe(true);
  });
});

describe("helpers", () => {
  it("cutAtLine cuts back to a line end and never splits a surrogate pair", () => {
    expect(cutAtLine("one\ntwo\nthree", 9)).toBe("one\ntwo");
    expect(cutAtLine("short", 10)).toBe("short");
    expect(cutAtLine("ab😀cd", 3)).toBe("ab");
  });

  it("fence outlasts backtick runs in the text", () => {
    expect(fence("a")).toBe("```text\na\n```");
    expect(fence("```js\nx\n```")).toBe("````text\n```js\nx\n```\n````");
  });

  it("closeFences closes only an open fence", () => {
    expect(closeFences("```\na\n```")).toBe("```\na\n```");
    expect(closeFences("~~~~md\na")).toBe("~~~~md\na\n~~~~");
  });

  it("reads the PR number from the event and builds the run's link", () => {
    expect(pullRequestNumber({ pull_request: { number: 42 } })).toBe(42);
    expect(pullRequestNumber({ ref: "refs/heads/main" })).toBeNull();
    expect(pullRequestNumber(null)).toBeNull();
    expect(
      runUrl({ GITHUB_SERVER_URL: "https://github.com", GITHUB_REPOSITORY: "o/r", GITHUB_RUN_ID: "7" }),
    ).toBe("https://github.com/o/r/actions/runs/7");
  });

  it("reports a plan that did not run in words, and a plan that did in a fence", () => {
    const [, skipped] = reportSections({ diff: "d" });
    expect(skipped?.code).toBeUndefined();
    expect(skipped?.body).toContain("Not run");
    const [, planned] = reportSections({ diff: "d", plan: "Plan for test: 0 to create" });
    expect(planned?.code).toBe(true);
  });

  it("shows only the sections asked for, names the plan's environment, and keys the marker", () => {
    const sections = reportSections(
      { plan: "Plan for prod: 1 to update" },
      { env: "prod", include: ["plan"] },
    );
    expect(sections.map((section) => section.title)).toEqual(["Plan for prod (`clue plan --env prod`)"]);
    expect(markerFor(undefined)).toBe(MARKER);
    expect(markerFor("plan-prod")).toBe("<!-- clue:pr-comment:plan-prod -->");
    expect(() => markerFor("x -->")).toThrow(/--key/);
  });
});

interface FakeComment {
  id: number;
  body: string;
  html_url: string;
}
interface Logged {
  method: string;
  url: string;
  authorization: string | undefined;
  body: unknown;
}

/** A fake of the three GitHub REST calls the tool makes, on 127.0.0.1: list, create and edit issue comments. */
async function fakeGitHub(comments: FakeComment[]) {
  const log: Logged[] = [];
  let nextId = 1000;
  const readBody = async (request: IncomingMessage) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString("utf8");
    return text === "" ? undefined : (JSON.parse(text) as unknown);
  };
  const server: Server = createServer((request, response) => {
    void (async () => {
      const body = await readBody(request);
      const url = new URL(request.url ?? "/", "http://127.0.0.1");
      log.push({
        method: request.method ?? "",
        url: url.pathname + url.search,
        authorization: request.headers.authorization,
        body,
      });
      const send = (status: number, value: unknown) => {
        response.writeHead(status, { "content-type": "application/json" });
        response.end(JSON.stringify(value));
      };
      let match: RegExpExecArray | null;
      if (
        request.method === "GET" &&
        (match = /^\/repos\/o\/r\/issues\/(\d+)\/comments$/.exec(url.pathname))
      ) {
        const perPage = Number(url.searchParams.get("per_page") ?? 30);
        const page = Number(url.searchParams.get("page") ?? 1);
        return send(200, comments.slice((page - 1) * perPage, page * perPage));
      }
      if (
        request.method === "POST" &&
        (match = /^\/repos\/o\/r\/issues\/(\d+)\/comments$/.exec(url.pathname))
      ) {
        const created = {
          id: nextId++,
          body: (body as { body: string }).body,
          html_url: `https://github.com/o/r/pull/${match[1]}#issuecomment-${nextId}`,
        };
        comments.push(created);
        return send(201, created);
      }
      if (
        request.method === "PATCH" &&
        (match = /^\/repos\/o\/r\/issues\/comments\/(\d+)$/.exec(url.pathname))
      ) {
        const found = comments.find((comment) => comment.id === Number(match?.[1]));
        if (!found) return send(404, { message: "Not Found" });
        found.body = (body as { body: string }).body;
        return send(200, found);
      }
      return send(404, { message: "Not Found" });
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    apiUrl: `http://127.0.0.1:${port}`,
    log,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function others(count: number): FakeComment[] {
  return Array.from({ length: count }, (_, i) => ({ id: i + 1, body: `LGTM ${i}`, html_url: `u${i}` }));
}

describe("upsertComment against a fake GitHub API", () => {
  let github: Awaited<ReturnType<typeof fakeGitHub>>;
  let comments: FakeComment[];
  beforeEach(async () => {
    comments = others(3);
    github = await fakeGitHub(comments);
  });
  afterEach(async () => {
    await github.close();
  });

  it("creates the comment when none carries the marker, then edits that one in place", async () => {
    const options = { apiUrl: github.apiUrl, token: "t0ken", repository: "o/r", issue: 5 };
    const first = await upsertComment({ ...options, body: `${MARKER}\nfirst` });
    expect(first.action).toBe("created");
    expect(comments).toHaveLength(4);

    const second = await upsertComment({ ...options, body: `${MARKER}\nsecond` });
    expect(second).toMatchObject({ action: "updated", id: first.id });
    expect(comments).toHaveLength(4);
    expect(comments.at(-1)?.body).toBe(`${MARKER}\nsecond`);

    expect(github.log.map((entry) => `${entry.method} ${entry.url}`)).toEqual([
      "GET /repos/o/r/issues/5/comments?per_page=100&page=1",
      "POST /repos/o/r/issues/5/comments",
      "GET /repos/o/r/issues/5/comments?per_page=100&page=1",
      `PATCH /repos/o/r/issues/comments/${first.id}`,
    ]);
    expect(github.log.every((entry) => entry.authorization === "Bearer t0ken")).toBe(true);
  });

  it("finds the marker past the first page of comments", async () => {
    comments.splice(0, comments.length, ...others(150), {
      id: 777,
      body: `${MARKER}\nold`,
      html_url: "u777",
    });
    const result = await upsertComment({
      apiUrl: `${github.apiUrl}/`,
      token: "t",
      repository: "o/r",
      issue: 5,
      body: `${MARKER}\nnew`,
    });
    expect(result).toMatchObject({ action: "updated", id: 777 });
    expect(github.log.filter((entry) => entry.method === "GET")).toHaveLength(2);
    expect(comments.find((comment) => comment.id === 777)?.body).toBe(`${MARKER}\nnew`);
  });

  it("says what the API answered when a call fails", async () => {
    await expect(
      upsertComment({ apiUrl: github.apiUrl, token: "t", repository: "o/other", issue: 5, body: "x" }),
    ).rejects.toThrow(/GitHub API GET \/repos\/o\/other\/issues\/5\/comments.*: 404 Not Found/);
  });

  it("main writes the job summary and the comment from the workflow's files and environment", async () => {
    const dir = await mkdtemp(join(tmpdir(), "clue-pr-comment-"));
    try {
      const files = {
        diff: join(dir, "clue-diff.md"),
        event: join(dir, "event.json"),
        summary: join(dir, "summary.md"),
      };
      await writeFile(files.diff, "## clue diff\n\n1 changed: validations/email_regex\n");
      await writeFile(
        files.event,
        JSON.stringify({ pull_request: { number: 9, head: { sha: "abcdef1234567" } } }),
      );
      await writeFile(files.summary, "");
      const env = {
        GITHUB_API_URL: github.apiUrl,
        GITHUB_TOKEN: "t0ken",
        GITHUB_REPOSITORY: "o/r",
        GITHUB_EVENT_PATH: files.event,
        GITHUB_STEP_SUMMARY: files.summary,
        GITHUB_SERVER_URL: "https://github.com",
        GITHUB_RUN_ID: "7",
      };
      const argv = ["--diff", files.diff, "--plan", join(dir, "missing.txt")];
      expect(await main(argv, env)).toBe(0);
      expect(await main(argv, env)).toBe(0);

      const ours = comments.filter((comment) => comment.body.includes(MARKER));
      expect(ours).toHaveLength(1);
      expect(ours[0]?.body).toContain("1 changed: validations/email_regex");
      expect(ours[0]?.body).toContain("Not run");
      expect(ours[0]?.body).toContain("For abcdef1; [workflow run](https://github.com/o/r/actions/runs/7)");
      expect(github.log.map((entry) => entry.method)).toEqual(["GET", "POST", "GET", "PATCH"]);
      const summary = await readFile(files.summary, "utf8");
      expect(summary).toContain("### Config diff");
      expect(summary).toContain("1 changed: validations/email_regex");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("--key gives the action's command a comment of its own; --only-given and --no-summary", async () => {
    const dir = await mkdtemp(join(tmpdir(), "clue-pr-comment-"));
    try {
      const plan = join(dir, "clue-plan.txt");
      const event = join(dir, "event.json");
      const summary = join(dir, "summary.md");
      await writeFile(plan, "Plan for prod: 1 to update\n");
      await writeFile(event, JSON.stringify({ pull_request: { number: 4 } }));
      await writeFile(summary, "");
      const env = {
        GITHUB_API_URL: github.apiUrl,
        GITHUB_TOKEN: "t0ken",
        GITHUB_REPOSITORY: "o/r",
        GITHUB_EVENT_PATH: event,
        GITHUB_STEP_SUMMARY: summary,
      };
      comments.push({ id: 99, body: `${MARKER}\nthe shared comment`, html_url: "u99" });
      const argv = ["--plan", plan, "--env", "prod", "--key", "plan-prod", "--only-given", "--no-summary"];
      expect(await main(argv, env)).toBe(0);

      const keyed = comments.filter((comment) => comment.body.includes(markerFor("plan-prod")));
      expect(keyed).toHaveLength(1);
      expect(keyed[0]?.body).toContain("### Plan for prod");
      expect(keyed[0]?.body).not.toContain("Config diff");
      expect(comments.find((comment) => comment.id === 99)?.body).toBe(`${MARKER}\nthe shared comment`);
      expect(await readFile(summary, "utf8")).toBe("");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
