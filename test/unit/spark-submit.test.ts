import { totalmem } from "node:os";
import { describe, expect, it } from "vitest";
import { sparkSize, submitArgs } from "../../src/engine/spark/submit.js";

const install = { submit: "/nowhere/spark-submit", from: "test", env: {} };
const runs = [{ plan: "/job/plan.json", out: "/job/rows.jsonl" }];
const after = (args: string[], flag: string) => args[args.indexOf(flag) + 1];

describe("spark-submit's arguments", () => {
  it("spells clue's sizes as Spark's whole mebibytes", () => {
    expect(sparkSize("4GB")).toBe("4096m");
    expect(sparkSize("1.5GiB")).toBe("1536m");
    expect(sparkSize("512MB")).toBe("512m");
    expect(sparkSize("1TB")).toBe("1048576m");
    expect(sparkSize("100KB")).toBe("1m");
    expect(sparkSize("lots")).toBeUndefined();
    expect(sparkSize(undefined)).toBeUndefined();
  });

  it("gives a local driver the memory asked for, else half the machine's", () => {
    const asked = submitArgs({ install, jobDir: "/job", runs, driverMemory: "6GB" }, {});
    expect(after(asked, "--driver-memory")).toBe("6144m");
    const byDefault = submitArgs({ install, jobDir: "/job", runs }, {});
    expect(after(byDefault, "--driver-memory")).toBe(`${Math.floor(totalmem() / 2 ** 21)}m`);
    expect(after(byDefault, "--master")).toBe("local[*]");
  });

  it("runs on the cores asked for, and leaves a cluster's memory to the cluster", () => {
    expect(after(submitArgs({ install, jobDir: "/job", runs, master: "local[2]" }, {}), "--master")).toBe(
      "local[2]",
    );
    const cluster = submitArgs(
      { install, jobDir: "/job", runs, driverMemory: "6GB" },
      {
        CLUE_SPARK_MASTER: "spark://127.0.0.1:7077",
      },
    );
    expect(cluster).not.toContain("--driver-memory");
    expect(after(cluster, "--master")).toBe("spark://127.0.0.1:7077");
  });
});
