import type { GlobalOptions } from "./main.js";

export interface Progress {
  update: (records: number) => void;
  done: () => void;
}

/**
 * A progress line on a terminal (records, records/s, elapsed), redrawn in place on stderr. In CI or when stderr is
 * piped it stays silent, so logs hold only the summary.
 */
export function progressReporter(
  _global: GlobalOptions,
  stream: NodeJS.WriteStream = process.stderr,
): Progress {
  const live = stream.isTTY === true && !process.env.CI;
  const started = performance.now();
  let shown = false;
  return {
    update(records) {
      if (!live) return;
      const seconds = (performance.now() - started) / 1000;
      const rate = seconds > 0 ? Math.round(records / seconds) : 0;
      stream.write(
        `\r  ${records.toLocaleString("en")} records  ${rate.toLocaleString("en")} records/s  ${seconds.toFixed(1)} s `,
      );
      shown = true;
    },
    done() {
      if (shown) stream.write("\r\u001b[2K");
      shown = false;
    },
  };
}
