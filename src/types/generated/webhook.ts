/* Generated from schemas/webhook.schema.json by `npm run types`. Do not edit by hand. */

/**
 * A webhook the platform calls when events happen. Its secret is always a reference, never a literal.
 */
export interface Webhook {
  /**
   * Optional: the kind is otherwise taken from the folder (config/webhooks/).
   */
  kind?: "webhook";
  /**
   * The webhook's name, unique among webhooks.
   */
  name: string;
  /**
   * What the webhook is for, for people reading the config.
   */
  description?: string;
  /**
   * Who owns this resource (teams or people); used by release notes.
   */
  owners?: string[];
  /**
   * The events that trigger the webhook.
   *
   * @minItems 1
   */
  events: [
    (
      | "export.succeeded"
      | "export.failed"
      | "release.applied"
      | "release.failed"
      | "release.promoted"
      | "validation.failed"
      | "dedup.review_queued"
    ),
    ...(
      | "export.succeeded"
      | "export.failed"
      | "release.applied"
      | "release.failed"
      | "release.promoted"
      | "validation.failed"
      | "dedup.review_queued"
    )[]
  ];
  /**
   * The https URL called, or a secret reference when the URL itself carries a token.
   */
  url: string | SecretRef;
  secret?: SecretRef1;
  /**
   * Extra request headers; values that are secrets must be references.
   */
  headers?: {
    [k: string]: string | SecretRef;
  };
  /**
   * Set to false to keep the webhook but stop calls.
   */
  enabled?: boolean;
}
/**
 * A reference to a secret: `{ from_env: NAME }` reads an environment variable; `{ vault: "path#key" }` reads a vault entry.
 *
 * This interface was referenced by `Webhook`'s JSON-Schema
 * via the `definition` "secretRef".
 */
export interface SecretRef {
  /**
   * The environment variable holding the secret.
   */
  from_env?: string;
  /**
   * A vault reference, `path#key`.
   */
  vault?: string;
}
/**
 * A reference to a secret: `{ from_env: NAME }` reads an environment variable; `{ vault: "path#key" }` reads a vault entry.
 */
export interface SecretRef1 {
  /**
   * The environment variable holding the secret.
   */
  from_env?: string;
  /**
   * A vault reference, `path#key`.
   */
  vault?: string;
}
