/**
 * Clusters in SQL (src/golden/clusters.ts): the connected components of the merged pairs, found by iterated
 * label propagation (each record takes the smallest record number among itself and its neighbours, then its
 * label's label, until nothing changes), each named by its first record.
 *
 * A cluster's confidence is the weakest merge that joined it when merges apply strongest first: the weakest link of
 * the strongest spanning tree, which is also the widest path's width from the first record to the record worst
 * connected to it — a second propagation.
 *
 * A component holding both records of a `never_merge`, or more records than cluster_guard.max_size, cannot be taken
 * whole: its merges are applied one at a time, strongest first, as the JS engine applies them (a merge that would
 * join the two records of a never_merge, or grow a cluster past max_size, is skipped or only reported): one merge
 * per such component per iteration, all components at once.
 */
import type { Resource } from "../../../config/project.js";
import type { PlanBuilder } from "../builder.js";
import { SqlUnsupported } from "../expr.js";
import { MERGE } from "./scoring.js";

/** How many times a propagation may go round: records chained this long are beyond any real cluster. */
export const MAX_ITERATIONS = 10_000;

export interface Clusters {
  /** `clusters`: _rid, _cluster (its first record), _confidence, _size (its records), for every record. */
  table: string;
  /** `chained`: the merges cluster_guard.max_size stopped (or reported): i, j, score, size. */
  chained: string | undefined;
}

export function clusterRecords(b: PlanBuilder, dedup: Resource<"dedup">): Clusters {
  const { d } = b;
  const guard = dedup.spec.cluster_guard;
  if (guard?.min_density !== undefined)
    throw new SqlUnsupported(
      `dedup ${dedup.name}: cluster_guard.min_density is not supported on SQL engines yet; run with --engine js`,
    );
  const maxSize = guard?.max_size;
  const split = guard?.action !== "flag";
  b.view(
    "merges",
    `SELECT i, j, score FROM pairs WHERE (flags & ${MERGE}) <> 0 AND i <> j`,
    "the merged pairs",
  );
  b.table(
    "links",
    "SELECT i AS v, j AS u, score FROM merges UNION ALL SELECT j AS v, i AS u, score FROM merges",
    "each merge from both ends",
  );
  b.table(
    "component",
    "SELECT DISTINCT v, v AS label FROM links",
    "every linked record starts as its own label",
  );
  const propagate = b.collect(() => {
    b.table(
      "component_step",
      "SELECT s.v, least(s.label, min(n.label)) AS m FROM component s JOIN links l ON l.v = s.v JOIN component n ON n.v = l.u GROUP BY s.v, s.label",
      "the smallest label among a record and its neighbours",
    );
    b.table(
      "component_next",
      "SELECT s.v, least(s.m, t.m) AS label FROM component_step s JOIN component_step t ON t.v = s.m",
      "then that label's own (jumping along chains)",
    );
    b.table(
      "component_changed",
      "SELECT count(*) AS n FROM component_next n JOIN component c ON c.v = n.v WHERE n.label <> c.label",
    );
    b.table("component", "SELECT * FROM component_next");
  });
  b.loop(
    propagate,
    "SELECT n = 0 FROM component_changed",
    MAX_ITERATIONS,
    "connected components of the merges",
  );

  // Components the merges cannot simply join: a never_merge inside, or more records than max_size.
  const vetoed = `SELECT a.label FROM decision_pairs p JOIN component a ON a.v = p.x JOIN component b ON b.v = p.y WHERE p.kind = 'never' AND a.label = b.label`;
  const oversized =
    maxSize === undefined
      ? undefined
      : `SELECT label FROM component GROUP BY label HAVING count(*) > ${maxSize}`;
  b.table(
    "sequential",
    `SELECT DISTINCT label FROM (${vetoed}${oversized === undefined ? "" : ` UNION ALL ${oversized}`})`,
    "components whose merges apply one at a time (a never_merge inside" +
      (maxSize === undefined ? ")" : ", or past max_size)"),
  );

  // Confidence of the components taken whole: widest paths from each component's first record.
  b.table(
    "width",
    `SELECT v, label, CASE WHEN v = label THEN ${d.number(2)} ELSE ${d.number(-1)} END AS w FROM component WHERE label NOT IN (SELECT label FROM sequential)`,
    "each record's widest path to its component's first record: the first record itself, unbounded",
  );
  const widen = b.collect(() => {
    b.table(
      "width_next",
      "SELECT s.v, s.label, greatest(s.w, max(least(o.w, l.score))) AS w FROM width s JOIN links l ON l.v = s.v JOIN width o ON o.v = l.u GROUP BY s.v, s.label, s.w",
    );
    b.table(
      "width_changed",
      "SELECT count(*) AS n FROM width_next n JOIN width o ON o.v = n.v WHERE n.w <> o.w",
    );
    b.table("width", "SELECT * FROM width_next");
  });
  b.loop(widen, "SELECT n = 0 FROM width_changed", MAX_ITERATIONS, "widest paths within components");

  // The others, merge by merge, strongest first (then by i and j), one merge per component per iteration.
  b.table(
    "serial_edges",
    `SELECT c.label AS component, m.i, m.j, m.score, row_number() OVER (PARTITION BY c.label ORDER BY m.score DESC, m.i, m.j) AS t\n` +
      `FROM merges m JOIN component c ON c.v = m.i WHERE c.label IN (SELECT label FROM sequential)`,
    "the merges of those components, numbered strongest first",
  );
  b.table(
    "serial",
    `SELECT c.v, c.label AS component, c.v AS cluster, ${d.number(1)} AS confidence FROM component c WHERE c.label IN (SELECT label FROM sequential)`,
    "each of their records starts as a cluster of its own",
  );
  b.table("serial_chained", "SELECT i, j, score, 0 AS size FROM merges WHERE false");
  b.table("serial_t", "SELECT 1 AS t");
  const apply = b.collect(() => {
    const sizes = "(SELECT cluster, count(*) AS n FROM serial GROUP BY cluster)";
    b.table(
      "serial_try",
      `SELECT e.component, e.i, e.j, e.score, a.cluster AS ca, b.cluster AS cb, sa.n + sb.n AS size,\n` +
        `  EXISTS (SELECT 1 FROM decision_pairs p JOIN serial x ON x.v = p.x JOIN serial y ON y.v = p.y\n` +
        `    WHERE p.kind = 'never' AND ((x.cluster = a.cluster AND y.cluster = b.cluster) OR (x.cluster = b.cluster AND y.cluster = a.cluster))) AS vetoed\n` +
        `FROM serial_edges e JOIN serial_t s ON e.t = s.t JOIN serial a ON a.v = e.i JOIN serial b ON b.v = e.j\n` +
        `JOIN ${sizes} sa ON sa.cluster = a.cluster JOIN ${sizes} sb ON sb.cluster = b.cluster\n` +
        `WHERE a.cluster <> b.cluster`,
      "this iteration's merge of each component, if it joins two clusters",
    );
    const past = maxSize === undefined ? "false" : `size > ${maxSize}`;
    b.table(
      "serial_chained",
      `SELECT * FROM serial_chained UNION ALL SELECT i, j, score, size FROM serial_try WHERE NOT vetoed AND ${past}`,
    );
    b.table(
      "serial_join",
      `SELECT component, least(ca, cb) AS into_cluster, ca, cb, score FROM serial_try WHERE NOT vetoed${split && maxSize !== undefined ? ` AND NOT (${past})` : ""}`,
    );
    b.table(
      "serial",
      `SELECT s.v, s.component,\n` +
        `  CASE WHEN j.component IS NOT NULL AND s.cluster IN (j.ca, j.cb) THEN j.into_cluster ELSE s.cluster END AS cluster,\n` +
        `  CASE WHEN j.component IS NOT NULL AND s.cluster IN (j.ca, j.cb)\n` +
        `    THEN least((SELECT min(confidence) FROM serial x WHERE x.cluster IN (j.ca, j.cb)), j.score) ELSE s.confidence END AS confidence\n` +
        `FROM serial s LEFT JOIN serial_join j ON j.component = s.component`,
    );
    b.table("serial_t", "SELECT t + 1 AS t FROM serial_t");
  });
  b.loop(
    apply,
    "SELECT t > (SELECT coalesce(max(t), 0) FROM serial_edges) FROM serial_t",
    MAX_ITERATIONS,
    "merges one at a time where a never_merge or max_size may stop them",
  );

  b.table(
    "clusters",
    `SELECT *, count(*) OVER (PARTITION BY _cluster) AS _size FROM (SELECT r._rid,\n` +
      `  coalesce(s.cluster, wd.label, r._rid) AS _cluster,\n` +
      // Not `w`: width has a column w, and Spark would read `w.label` in the subquery as a field of that column.
      `  coalesce(s.confidence, least(${d.number(1)}, (SELECT min(x.w) FROM width x WHERE x.label = wd.label AND x.v <> x.label)), ${d.number(1)}) AS _confidence\n` +
      `FROM records r LEFT JOIN serial s ON s.v = r._rid LEFT JOIN width wd ON wd.v = r._rid)`,
    "every record's cluster (named by its first record) and the cluster's confidence",
  );
  return { table: "clusters", chained: maxSize === undefined ? undefined : "serial_chained" };
}
