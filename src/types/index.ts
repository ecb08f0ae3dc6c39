// The config shapes, generated from schemas/ (`npm run types`); re-exported under the names the code uses.
export type { CleaningProject, CleaningStep } from "./generated/cleaning.js";
export type { Contract } from "./generated/contract.js";
export type { DedupRules } from "./generated/dedup.js";
export type { Entity, EntityField } from "./generated/entity.js";
export type { ClueServerTarget, CluedinTarget, Environment, LocalTarget } from "./generated/environment.js";
export type { Export } from "./generated/export.js";
export type { IgnoreFile } from "./generated/ignore.js";
export type { Mapping } from "./generated/mapping.js";
export type { TestCase } from "./generated/test.js";
export type { Validation } from "./generated/validation.js";
export type { Webhook } from "./generated/webhook.js";
