import type { IncomingMessage, ServerResponse } from "node:http";
import { TargetError } from "../target/contract.js";
import { jsonText } from "../util/json-values.js";
import { checkDepth } from "./store-checks.js";

/** Bodies over this are refused with 413: the largest config resource is a few kilobytes. */
export const BODY_LIMIT = 1024 * 1024;

/** What a handler answers; the server adds the correlation id and writes it. */
export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export function errorReply(
  status: number,
  error: string,
  message: string,
  extra: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Reply {
  return { status, body: { error, message, ...extra }, headers };
}

/** Reads the whole body, refusing more than `limit` bytes without buffering them. */
export async function readBody(request: IncomingMessage, limit = BODY_LIMIT): Promise<Buffer> {
  const declared = Number(request.headers["content-length"] ?? 0);
  if (declared > limit) throw tooLarge(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > limit) throw tooLarge(limit);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * A JSON body, or for the token endpoint a form; undefined when nothing was sent. A body nested deeper than
 * MAX_BODY_DEPTH is refused here, before validation or any handler sees it.
 */
export function parseBody(raw: Buffer, contentType: string | undefined, allowForm: boolean): unknown {
  if (raw.length === 0) return undefined;
  const type = (contentType ?? "application/json").split(";")[0]?.trim().toLowerCase() ?? "";
  if (allowForm && type === "application/x-www-form-urlencoded")
    return Object.fromEntries(new URLSearchParams(raw.toString("utf8")));
  if (type !== "application/json" && !type.endsWith("+json"))
    throw new TargetError(
      415,
      "unsupported_media_type",
      `send the body as application/json${allowForm ? " or application/x-www-form-urlencoded" : ""} (got ${type})`,
    );
  let body: unknown;
  try {
    body = JSON.parse(raw.toString("utf8")) as unknown;
  } catch (error) {
    throw new TargetError(
      400,
      "invalid_json",
      `the body is not valid JSON: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  checkDepth(body, "body");
  return body;
}

/** Resolves once the answer is handed to the socket, so a shutdown that waits for it never cuts it off. */
export function send(response: ServerResponse, reply: Reply): Promise<void> {
  const done = new Promise<void>((resolve) => {
    response.once("finish", resolve);
    response.once("close", resolve);
  });
  for (const [name, value] of Object.entries(reply.headers ?? {})) response.setHeader(name, value);
  if (reply.body === undefined || reply.status === 204) {
    response.writeHead(reply.status);
    response.end();
    return done;
  }
  // A resource stored by an older version may be nested deeper than JSON.stringify's stack allows.
  const text = jsonText(reply.body);
  response.writeHead(reply.status, {
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": Buffer.byteLength(text),
  });
  response.end(text);
  return done;
}

function tooLarge(limit: number): TargetError {
  return new TargetError(413, "payload_too_large", `the body is over ${limit} bytes`);
}
