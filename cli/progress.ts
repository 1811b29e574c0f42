import { SingleBar } from "cli-progress";

/**
 * A progress bar on stderr when it is a terminal (nothing otherwise, so logs stay clean). `total` may be
 * unknown: then a running count is shown.
 */
export function progressBar(label: string, total?: number) {
  if (!process.stderr.isTTY) return { update: (_n: number) => {}, stop: () => {} };
  const format = total ? `${label} [{bar}] {percentage}% | {value}/{total} | ETA {eta}s` : `${label} {value} done | {duration}s`;
  const bar = new SingleBar({ format, stream: process.stderr, hideCursor: true });
  bar.start(total ?? 0, 0);
  return { update: (n: number) => bar.update(n), stop: () => bar.stop() };
}
