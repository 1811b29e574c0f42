import type { PrismaClient } from "../db/generated/client";

export interface RunLogLine {
  /** Position in the run's event log; lines are shown in this order. */
  line: number;
  level: string;
  message: string;
  at: string;
}

/**
 * The last `limit` log lines of a run (at most 2,000), oldest first. With `afterLine`, only lines after
 * it, so a live view can ask for what is new; `lastLine` is the newest line number there is.
 */
export async function runLogTail(
  prisma: PrismaClient,
  runId: number,
  options: { limit?: number; afterLine?: number } = {},
): Promise<{ lines: RunLogLine[]; lastLine: number | null }> {
  const limit = Math.min(Math.max(options.limit ?? 200, 1), 2000);
  const rows = await prisma.runLog.findMany({
    where: { runId, line: options.afterLine === undefined ? undefined : { gt: options.afterLine } },
    orderBy: { line: "desc" },
    take: limit,
  });
  rows.reverse();
  const last = rows[rows.length - 1];
  const lastLine = last ? last.line : ((await prisma.runLog.findFirst({ where: { runId }, orderBy: { line: "desc" }, select: { line: true } }))?.line ?? null);
  return { lines: rows.map((r) => ({ line: r.line, level: r.level, message: r.message, at: r.at.toISOString() })), lastLine };
}
