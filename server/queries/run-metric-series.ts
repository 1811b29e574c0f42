import type { PrismaClient } from "../db/generated/client";

/** One metric as two parallel columns: optimizer steps ascending and the value logged at each (null: not finite). */
export interface MetricSeries {
  steps: number[];
  values: (number | null)[];
}

export interface RunMetricSeries {
  runId: number;
  /** Keyed by metric name (`loss`, `reward/total_mean`, `eval/failure_rate`, ...). */
  series: Record<string, MetricSeries>;
  /** The highest step among the returned points, or null when none came back. */
  maxStep: number | null;
}

/**
 * A run's metrics as columns per name, built by PostgreSQL (one row per metric, steps and values
 * aggregated in step order), so thousands of points cost one round trip and no per-point objects.
 * `names` narrows to those metrics; `sinceStep` returns only points with a step strictly greater than
 * it, which is how a live chart appends what arrived since its last poll.
 */
export async function runMetricSeries(
  prisma: PrismaClient,
  runId: number,
  options: { names?: readonly string[]; sinceStep?: number } = {},
): Promise<RunMetricSeries> {
  const params: unknown[] = [runId, options.sinceStep ?? -1];
  let nameFilter = "";
  if (options.names && options.names.length > 0) {
    params.push([...options.names]);
    nameFilter = `AND name = ANY($3::text[])`;
  }
  const rows = await prisma.$queryRawUnsafe<{ name: string; steps: number[]; vals: number[] }[]>(
    `SELECT name, array_agg(step ORDER BY step) AS steps, array_agg(value ORDER BY step) AS vals
     FROM "MetricPoint" WHERE "runId" = $1 AND step > $2 ${nameFilter}
     GROUP BY name ORDER BY name`,
    ...params,
  );
  const series: Record<string, MetricSeries> = {};
  let maxStep: number | null = null;
  for (const r of rows) {
    series[r.name] = { steps: r.steps.map(Number), values: r.vals.map((v) => (Number.isFinite(Number(v)) ? Number(v) : null)) };
    const last = Number(r.steps[r.steps.length - 1]);
    if (maxStep === null || last > maxStep) maxStep = last;
  }
  return { runId, series, maxStep };
}
