import { spawn, type ChildProcess } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { request } from "node:http";
import { join } from "node:path";

const bin = new URL("../../bin/clue.js", import.meta.url).pathname;
const READY = /^clue serve listening on (http:\/\/127\.0\.0\.1:\d+) \(data: (.+)\)$/m;

/** Everything every server of a test file printed, to check no secret ever appears in it. */
export const transcript: string[] = [];

export interface ServeProcess {
  url: string;
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** SIGTERM, and the exit code once it has stopped. */
  stop(): Promise<number | null>;
  /** SIGKILL: no chance to finish anything. */
  kill9(): Promise<void>;
}

/** Starts the real `clue serve` on an ephemeral loopback port and waits for its ready line. */
export async function startServe(
  data: string,
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<ServeProcess> {
  const child = spawn(process.execPath, [bin, "serve", "--port", "0", "--data", data, ...args], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (text: string) => (stdout += text));
  child.stderr.setEncoding("utf8").on("data", (text: string) => (stderr += text));
  const exited = new Promise<number | null>((done) =>
    child.once("exit", (code) => {
      transcript.push(stdout, stderr);
      done(code);
    }),
  );
  const url = await new Promise<string>((ready, failed) => {
    const timer = setTimeout(() => failed(new Error(`clue serve did not start:\n${stderr}`)), 15_000);
    const look = () => {
      const found = READY.exec(stdout);
      if (found) {
        clearTimeout(timer);
        ready(found[1] as string);
      }
    };
    child.stdout.on("data", look);
    void exited.then((code) => {
      clearTimeout(timer);
      failed(new Error(`clue serve exited with ${String(code)} before it was ready:\n${stderr}`));
    });
  });
  return {
    url,
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    stop() {
      child.kill("SIGTERM");
      return exited;
    },
    async kill9() {
      child.kill("SIGKILL");
      await exited;
    },
  };
}

export interface Answer {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

/** One HTTP call, JSON in and out. */
export async function call(
  url: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<Answer> {
  // A connection per call: a kept-alive one can be closed by the server's idle timeout just as a slow (busy) test
  // writes its next request on it, and this helper, unlike clue's client, does not retry.
  const headers: Record<string, string> = { connection: "close", ...options.headers };
  if (options.token) headers.Authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers["Content-Type"] ??= "application/json";
  const response = await fetch(`${url}${path}`, {
    method,
    headers,
    ...(options.body !== undefined
      ? { body: typeof options.body === "string" ? options.body : JSON.stringify(options.body) }
      : {}),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text === "" ? {} : (JSON.parse(text) as Record<string, unknown>),
  };
}

export async function token(url: string, id: string, secret: string): Promise<string> {
  const answer = await call(url, "POST", "/oauth/token", {
    body: { grant_type: "client_credentials", client_id: id, client_secret: secret },
  });
  if (answer.status !== 200)
    throw new Error(`token for ${id}: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body.access_token as string;
}

/**
 * A request whose body is sent only when the test says so. It asks `Expect: 100-continue`, and Node's server answers
 * 100 Continue in the same step as it hands the request to clue serve's handler: once `taken` resolves, the request
 * is certainly in flight on the server (no sleep hoping it got there).
 */
export function requestHoldingBody(
  url: string,
  method: string,
  path: string,
  options: { token: string; body: unknown },
): { taken: Promise<void>; send(): void; answer: Promise<{ status: number; body: string }> } {
  const text = JSON.stringify(options.body);
  let taken!: () => void;
  const takenPromise = new Promise<void>((resolve) => (taken = resolve));
  const out = request(new URL(path, url), {
    method,
    agent: false,
    headers: {
      Authorization: `Bearer ${options.token}`,
      "Content-Type": "application/json",
      "Content-Length": Buffer.byteLength(text),
      Expect: "100-continue",
    },
  });
  out.on("continue", () => taken());
  out.flushHeaders();
  const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
    out.on("error", reject);
    out.on("response", (response) => {
      let body = "";
      response.setEncoding("utf8").on("data", (chunk: string) => (body += chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, body }));
    });
  });
  return { taken: takenPromise, send: () => void out.end(text), answer };
}

/** Polls a condition that will come true; the bound only turns a hang into a failure, so it is generous. */
export async function until(what: string, check: () => boolean, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((done) => setTimeout(done, 50));
  }
}

/** Every file below a folder: what a test searches for secrets a server must never write. */
export function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listFiles(path) : [path];
  });
}
