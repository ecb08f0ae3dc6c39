import { defineConfig } from "vitest/config";
import { BaseSequencer, type TestSpecification } from "vitest/node";

/**
 * The slowest test files, longest first (minutes each on the 2-core CI machine: real Spark, DuckDB and many CLI
 * processes). They start first, so the two workers end near each other: on a clean clone Vitest has no timings and
 * would start the largest files first, and a short file that runs for six minutes would start last.
 */
const SLOWEST = [
  "test/integration/engine-spark-accuracy.test.ts",
  "test/integration/engine-spark.test.ts",
  "test/integration/engine-duckdb.test.ts",
  "test/integration/threads.test.ts",
  "test/integration/readme-examples.test.ts",
  "test/integration/cluedin-deploy.test.ts",
  "test/integration/deploy.test.ts",
  "test/integration/package.test.ts",
  "test/integration/parquet.test.ts",
];

class SlowestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (file: TestSpecification) => {
      const k = SLOWEST.findIndex((path) => file.moduleId.replaceAll("\\", "/").endsWith(path));
      return k === -1 ? SLOWEST.length : k;
    };
    return sorted
      .map((file, order) => ({ file, order, rank: rank(file) }))
      .sort((a, b) => a.rank - b.rank || a.order - b.order)
      .map(({ file }) => file);
  }
}

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    setupFiles: ["test/setup.ts"],
    globalSetup: ["test/global-tmp.ts"],
    // CLI scenarios spawn real processes; two cores, so keep the pool small.
    pool: "forks",
    maxWorkers: 2,
    testTimeout: 30_000,
    sequence: { sequencer: SlowestFirst },
  },
});
