import type { CluedinTarget } from "../../types/index.js";
import { TargetConfigError, type OpenedTarget } from "../open-target.js";

/** Opens the CluedIn platform target. */
export function openCluedinTarget(
  _target: CluedinTarget,
  envFile: string,
  _options: { correlationId: string },
): Promise<OpenedTarget> {
  return Promise.reject(
    new TargetConfigError(`${envFile}: the cluedin target is not built yet in this revision of clue`),
  );
}
