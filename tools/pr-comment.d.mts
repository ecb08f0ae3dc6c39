// Types for tools/pr-comment.mjs, which stays plain JavaScript so that CI runs it without a build; its test imports
// it through these.
export interface Section {
  title: string;
  body: string;
  /** shown verbatim in a code fence */
  code?: boolean;
}
export interface CommentOptions {
  heading?: string;
  footer?: string;
  notice?: string;
  limit?: number;
  marker?: string;
}
export interface UpsertOptions {
  apiUrl: string;
  token: string;
  repository: string;
  issue: number;
  body: string;
  marker?: string;
  fetch?: typeof fetch;
}
export interface UpsertResult {
  action: "created" | "updated";
  id: number;
  url: string;
}

export const MARKER: string;
export const MAX_COMMENT_CHARS: number;
export const MAX_SUMMARY_CHARS: number;
export function markerFor(key?: string): string;
export function buildComment(sections: Section[], options?: CommentOptions): string;
export function cutAtLine(text: string, max: number): string;
export function fence(text: string): string;
export function closeFences(markdown: string): string;
export function pullRequestNumber(event: unknown): number | null;
export function runUrl(env: Record<string, string | undefined>): string;
export function upsertComment(options: UpsertOptions): Promise<UpsertResult>;
export function reportSections(
  files: { diff?: string | undefined; plan?: string | undefined },
  options?: { env?: string | undefined; include?: ("diff" | "plan")[] | undefined },
): Section[];
export function main(argv?: string[], env?: Record<string, string | undefined>): Promise<number>;
