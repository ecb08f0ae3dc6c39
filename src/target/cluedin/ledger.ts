import { randomUUID } from "node:crypto";
import { enumToInt } from "../../cluedin/enums.js";
import { EMPTY_GUID } from "../../cluedin/model.js";
import { TargetError, type Release, type ReleaseInput } from "../contract.js";
import type { CluedinClient } from "./client.js";
import { LEDGER_NAME } from "./snapshot.js";
import type { Json } from "./wire.js";

/** The releases a ledger keeps: enough for promote and for a look back, small enough for a description. */
const KEEP = 100;
const ENTITY_METADATA = "3be85371-cbe0-4180-8820-73e6e37a6c32";
const EQUALS = "0bafc522-8011-43ba-978a-babe222ba466";
/** No entity type has this code (codes are `/Name`, no dashes allowed there): the ledger's filter matches nothing. */
const NO_SUCH_TYPE = "/clue-release-ledger-matches-nothing";

/**
 * The platform keeps no releases, so clue keeps them in one object it already may write: an inactive DataPart rule
 * named "clue release ledger" with no actions and a filter that matches nothing, its description holding the last
 * 100 releases as JSON (every environment's on that platform). Reading it is one list call clue makes anyway.
 */
export function ledgerReleases(ledgers: readonly Json[]): Release[] {
  const all: Release[] = [];
  for (const raw of ledgers) {
    try {
      const parsed = JSON.parse(typeof raw.description === "string" ? raw.description : "") as {
        releases?: unknown;
      };
      if (Array.isArray(parsed.releases)) all.push(...(parsed.releases as Release[]));
    } catch {
      // Someone edited the description by hand: that ledger holds nothing clue can read.
    }
  }
  return all.sort((a, b) => a.created_at.localeCompare(b.created_at));
}

/** Appends a release to the ledger (making the ledger on first use); the rule is rewritten whole. */
export async function appendRelease(
  client: CluedinClient,
  readLedgers: () => Promise<Json[]>,
  input: ReleaseInput,
  maxAttempts: number,
): Promise<Release> {
  const release: Release = { ...input, id: randomUUID(), created_at: new Date().toISOString() };
  const ledgers = await readLedgers();
  const releases = [...ledgerReleases(ledgers), release].slice(-KEEP);
  const description = JSON.stringify({ clue_release_ledger: 1, releases });
  const body = {
    name: LEDGER_NAME,
    description,
    isActive: false,
    scope: enumToInt("ProcessingRuleScope", "DataPart"),
    condition: {
      objectTypeId: EMPTY_GUID,
      condition: "AND",
      field: null,
      operator: EMPTY_GUID,
      type: null,
      value: null,
      rules: [
        {
          objectTypeId: ENTITY_METADATA,
          condition: "AND",
          field: "EntityType",
          operator: EQUALS,
          type: "string",
          value: [NO_SUCH_TYPE],
          rules: [],
        },
      ],
    },
    rules: [],
  };
  const first = ledgers[0];
  if (first) {
    await client.request("PUT", "/api/v1/rules", { body: { ...body, id: first.id } });
    return release;
  }
  for (let attempt = 0; attempt < maxAttempts; attempt++) {
    try {
      await client.request("POST", "/api/v1/rules", { body });
      return release;
    } catch (error) {
      if (!(error instanceof TargetError && error.code === "answer_lost")) throw error;
      // The ledger may have been made by the lost call: look before making a second.
      const again = await readLedgers();
      if (ledgerReleases(again).some((r) => r.id === release.id)) return release;
      if (again[0]) {
        await client.request("PUT", "/api/v1/rules", { body: { ...body, id: again[0].id } });
        return release;
      }
    }
  }
  throw new TargetError(
    0,
    "unreachable",
    `could not record the release on the platform after ${maxAttempts} attempts`,
  );
}
