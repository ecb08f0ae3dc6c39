// Runs a Node script as a child process and measures its wall time, CPU time (user + system) and peak RSS: with
// /usr/bin/time -f where the machine has it, else with an --import hook that prints process.resourceUsage() as the
// child exits.
import { spawnSync } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const TIME = "/usr/bin/time";

/** A measurer that keeps its hook (when it needs one) in `dir`. */
export function peakRss(dir) {
  const timeBin = existsSync(TIME) ? TIME : undefined;
  const hook = join(dir, "maxrss.mjs");
  if (!timeBin)
    writeFileSync(
      hook,
      'process.on("exit", () => { const u = process.resourceUsage(); process.stderr.write(`MAXRSS_KB=${u.maxRSS} CPU_S=${(u.userCPUTime + u.systemCPUTime) / 1e6}\\n`); });\n',
    );
  return {
    how: timeBin ? `${TIME} -f %M` : "process.resourceUsage().maxRSS",
    /**
     * `node ...args` in `cwd`: its result, wall time, CPU time (ms), peak RSS in MB, and stderr without the
     * measurement line.
     */
    run(args, cwd) {
      const start = performance.now();
      const result = timeBin
        ? spawnSync(timeBin, ["-f", "MAXRSS_KB=%M CPU_S=%U+%S", process.execPath, ...args], {
            cwd,
            encoding: "utf8",
            maxBuffer: 1 << 30,
          })
        : spawnSync(process.execPath, ["--import", pathToFileURL(hook).href, ...args], {
            cwd,
            encoding: "utf8",
          });
      const ms = performance.now() - start;
      const rss = /MAXRSS_KB=(\d+)/.exec(result.stderr);
      const cpu = /CPU_S=([\d.]+)(?:\+([\d.]+))?/.exec(result.stderr);
      return {
        status: result.status,
        ms,
        cpuMs: cpu ? (Number(cpu[1]) + Number(cpu[2] ?? 0)) * 1000 : undefined,
        rssMB: rss ? Number(rss[1]) / 1024 : undefined,
        stderr: result.stderr.replace(/MAXRSS_KB=\d+( CPU_S=[\d.+]+)?\s*/, "").trimEnd(),
      };
    },
    /**
     * Any command in `cwd` (a Python process, say): its result, stdout, wall time, and peak RSS in MB where
     * /usr/bin/time measures it (undefined without it: there is no hook for other runtimes).
     */
    runCommand(cmd, args, cwd) {
      const start = performance.now();
      const result = timeBin
        ? spawnSync(timeBin, ["-f", "MAXRSS_KB=%M", cmd, ...args], {
            cwd,
            encoding: "utf8",
            maxBuffer: 1 << 26,
          })
        : spawnSync(cmd, args, { cwd, encoding: "utf8", maxBuffer: 1 << 26 });
      const ms = performance.now() - start;
      const rss = /MAXRSS_KB=(\d+)/.exec(result.stderr);
      return {
        status: result.status,
        ms,
        rssMB: rss ? Number(rss[1]) / 1024 : undefined,
        stdout: result.stdout,
        stderr: result.stderr.replace(/MAXRSS_KB=\d+\s*/, "").trimEnd(),
      };
    },
  };
}
