// Writes openapi/cluedin/webapi.extract.json: the operations of CluedIn's published WebApi document that the cluedin
// target calls and `clue serve --api cluedin` answers, with every schema they reference (transitively) and nothing
// else. The source is the platform's own OpenAPI document, CluedIn-io/CluedIn.Documentation
// assets/api/swagger.json @ 19700fce968e73d48da0c3c49ed56a91c5ce47bc, given as a file: either that swagger.json or
// an earlier trim of it that keeps the same paths and component names.
//
//   node scripts/extract-cluedin-schemas.mjs path/to/swagger.json
//
// The output is deterministic (operations in table order, schemas sorted by name), so re-running it on the same
// source changes nothing.
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";

const SOURCE = {
  repository: "https://github.com/CluedIn-io/CluedIn.Documentation",
  path: "assets/api/swagger.json",
  commit: "19700fce968e73d48da0c3c49ed56a91c5ce47bc",
};

// The agreed REST surface (ISSUE-11), as paths of the WebApi service (hosted instances serve them under
// <org-url>/api). /api/status is not in the published document; the stand-in answers it all the same.
const OPERATIONS = [
  ["get", "/api/v1/rules"],
  ["post", "/api/v1/rules"],
  ["put", "/api/v1/rules"],
  ["get", "/api/v1/rules/{id}"],
  ["delete", "/api/v1/rules/{id}"],
  ["post", "/api/v1/rules/{id}/activate"],
  ["post", "/api/v1/rules/{id}/deactivate"],
  ["get", "/api/v1/rules/rule/{ruleId}/affectedrecords"],
  ["get", "/api/entitytypeinfo/paged"],
  ["post", "/api/entitytypeinfo"],
  ["get", "/api/v1/vocabs"],
  ["post", "/api/v1/vocabs/vocabulary"],
  ["put", "/api/v1/vocabs/vocabulary"],
  ["delete", "/api/v1/vocabs/vocabulary/{vocabularyId}"],
  ["get", "/api/v1/vocabs/{vocabularyId}/keys"],
  ["post", "/api/v1/vocabs/key"],
  ["put", "/api/v1/vocabs/key"],
  ["delete", "/api/v1/vocabs/vocabulary/{vocabularyId}/key/{vocabularyKeyId}"],
  ["get", "/api/deduplication/projects"],
  ["post", "/api/deduplication/projects"],
  ["put", "/api/deduplication/projects/{projectId}"],
  ["delete", "/api/deduplication/projects/{projectId}"],
  ["get", "/api/deduplication/projects/{projectId}/rules"],
  ["post", "/api/deduplication/projects/{projectId}/rules"],
  ["put", "/api/deduplication/projects/{projectId}/rules/{ruleId}"],
  ["delete", "/api/deduplication/projects/{projectId}/rules/{ruleId}"],
  ["put", "/api/deduplication/projects/{projectId}/rules/{ruleId}/activate"],
  ["put", "/api/deduplication/projects/{projectId}/rules/{ruleId}/deactivate"],
  ["get", "/api/deduplication/projects/rules/matchingfunctions"],
  ["get", "/api/v1/streams"],
  ["post", "/api/v1/streams"],
  ["get", "/api/v1/streams/{id}"],
  ["put", "/api/v1/streams/{id}"],
  ["delete", "/api/v1/streams/{id}"],
  ["post", "/api/v1/streams/setupconnector/{streamid}"],
];

const [input, output = new URL("../openapi/cluedin/webapi.extract.json", import.meta.url).pathname] =
  process.argv.slice(2);
if (!input) {
  process.stderr.write("usage: node scripts/extract-cluedin-schemas.mjs SWAGGER.json [OUT.json]\n");
  process.exit(64);
}
const doc = JSON.parse(readFileSync(input, "utf8"));
const schemas = doc.components?.schemas ?? {};
const paths = {};
const wanted = new Set();
const refsIn = (value) => JSON.stringify(value).matchAll(/"#\/components\/schemas\/([^"]+)"/g);

for (const [method, path] of OPERATIONS) {
  const op = doc.paths?.[path]?.[method];
  if (!op) throw new Error(`${method.toUpperCase()} ${path} is not in ${input}`);
  // Only application/json: the one media type clue sends, and the others repeat it.
  const body = op.requestBody?.content?.["application/json"];
  const trimmed = {
    summary: op.summary,
    tags: op.tags,
    ...(op.parameters ? { parameters: op.parameters } : {}),
    ...(body ? { requestBody: { content: { "application/json": body } } } : {}),
    responses: op.responses,
  };
  (paths[path] ??= {})[method] = trimmed;
  for (const [, name] of refsIn(trimmed)) wanted.add(name);
}
const queue = [...wanted];
while (queue.length > 0) {
  const name = queue.pop();
  const schema = schemas[name];
  if (!schema) throw new Error(`schema ${name} is referenced but not in ${input}`);
  for (const [, ref] of refsIn(schema))
    if (!wanted.has(ref)) {
      wanted.add(ref);
      queue.push(ref);
    }
}
const extract = {
  openapi: doc.openapi,
  info: doc.info,
  "x-source": {
    ...SOURCE,
    note:
      "Trimmed by scripts/extract-cluedin-schemas.mjs to the operations the cluedin target uses. Paths are relative " +
      "to the WebApi base, which hosted instances expose at <org-url>/api (GET /api/v1/rules is requested as " +
      "<org-url>/api/api/v1/rules). Enums are integers here, as published; their names are not published.",
  },
  paths,
  components: { schemas: Object.fromEntries([...wanted].sort().map((name) => [name, schemas[name]])) },
};
mkdirSync(new URL(".", `file://${output}`), { recursive: true });
writeFileSync(output, `${JSON.stringify(extract, null, 2)}\n`);
process.stdout.write(`${output}: ${OPERATIONS.length} operations, ${wanted.size} schemas\n`);
