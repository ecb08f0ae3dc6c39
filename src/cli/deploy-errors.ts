import { LockHeldError } from "../deploy/apply.js";
import { TargetError } from "../target/contract.js";
import { TargetConfigError } from "../target/open-target.js";
import { safeTerminalText } from "../util/terminal-text.js";
import { exitCodes } from "./errors.js";

/**
 * What plan, apply, promote and unlock print when the target or its configuration stops them: one clear line with
 * the correlation id to quote, exit 1. Anything else is a bug and goes up to the generic handler. The parts of the
 * message the target wrote were made safe where they arrived (`HttpClient.fromServer`); the whole line is passed
 * through `safeTerminalText` again because other stores (a local folder someone else wrote) make no such promise.
 */
export function deployFailure(
  error: unknown,
  context: { correlationId: string; mask(text: string): string },
): number {
  if (error instanceof TargetError || error instanceof TargetConfigError || error instanceof LockHeldError) {
    process.stderr.write(
      `clue: ${safeTerminalText(context.mask(error.message), { midLine: true })} (correlation id ${context.correlationId})\n`,
    );
    return exitCodes.problems;
  }
  throw error;
}
