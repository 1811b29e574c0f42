"use client";

import { useMemo } from "react";
import type uPlot from "uplot";
import { UPlotChart } from "@/components/charts/uplot-chart";
import { alignSeries, ema, forLogScale, type ChartSpec, type SeriesMap } from "./metric-series";
import { formatMetric } from "./format";
import styles from "./run-charts.module.css";

export const LINE_COLOURS = ["#1d4ed8", "#dc2626", "#16a34a", "#9333ea", "#ea580c", "#0891b2", "#ca8a04", "#db2777", "#4b5563"];
const HEIGHT = 190;
const STEP_INCREMENTS = [1, 2, 5].flatMap((m) => [1, 10, 100, 1000, 10_000, 100_000, 1_000_000].map((p) => m * p)).sort((a, b) => a - b);

const fmt = (_u: uPlot, v: number | null) => (v === null || v === undefined ? "–" : formatMetric(v));

/**
 * One chart of a run's curves: each metric smoothed with the EMA weight (the raw line faint behind it
 * while smoothing), the total reward with its ± std band, a log y axis on request.
 */
export function MetricChart({ spec, series, smoothing, log }: { spec: ChartSpec; series: SeriesMap; smoothing: number; log: boolean }) {
  const smooth = smoothing > 0;
  const options = useMemo<Omit<uPlot.Options, "width" | "height">>(() => {
    const lines: uPlot.Series[] = [];
    spec.names.forEach((name, i) => {
      const colour = LINE_COLOURS[i % LINE_COLOURS.length]!;
      lines.push({ label: name, stroke: colour, width: 1.6, spanGaps: true, points: { show: false }, value: fmt });
      // The faint raw line stays out of the legend: the smoothed one names the metric.
      if (smooth) lines.push({ label: `${name} (raw)`, class: styles.rawSeries, stroke: `${colour}40`, width: 1, spanGaps: true, points: { show: false }, value: fmt });
    });
    if (spec.band) {
      lines.push({ label: "+ std", stroke: "#1d4ed855", width: 1, dash: [4, 3], spanGaps: true, points: { show: false }, value: fmt });
      lines.push({ label: "− std", stroke: "#1d4ed855", width: 1, dash: [4, 3], spanGaps: true, points: { show: false }, value: fmt });
    }
    const n = lines.length;
    return {
      scales: { x: { time: false }, y: log ? { distr: 3 } : {} },
      axes: [
        // Steps are whole numbers: no ticks between them.
        { label: "step", size: 36, labelSize: 16, font: "11px system-ui", labelFont: "11px system-ui", incrs: STEP_INCREMENTS },
        // A log axis leaves its minor ticks unlabelled (null).
        { size: 58, font: "11px system-ui", values: (_u: uPlot, ticks: (number | null)[]) => ticks.map((t) => (t === null ? "" : formatMetric(t))) },
      ],
      series: [{ label: "step", value: (_u: uPlot, v: number | null) => (v === null ? "–" : String(v)) }, ...lines],
      bands: spec.band ? [{ series: [n - 1, n] as [number, number], fill: "rgba(29, 78, 216, 0.12)" }] : undefined,
      legend: { live: true },
      cursor: { drag: { x: true, y: false } },
    };
  }, [spec, smooth, log]);

  const data = useMemo(() => {
    const cols = spec.names.map((n) => series[n] ?? { steps: [], values: [] });
    if (spec.band) {
      const mean = series["reward/total_mean"] ?? { steps: [], values: [] };
      const std = series["reward/total_std"] ?? { steps: [], values: [] };
      const stdAt = new Map(std.steps.map((s, i) => [s, std.values[i] ?? null]));
      const up = mean.values.map((v, i) => (v === null ? null : v + (stdAt.get(mean.steps[i]!) ?? 0)));
      const down = mean.values.map((v, i) => (v === null ? null : v - (stdAt.get(mean.steps[i]!) ?? 0)));
      cols.push({ steps: mean.steps, values: up }, { steps: mean.steps, values: down });
    }
    const [xs, ...ys] = alignSeries(cols);
    const out: (number | null)[][] = [];
    const prep = (v: (number | null)[]) => (log ? forLogScale(v) : v);
    spec.names.forEach((_, i) => {
      out.push(prep(ema(ys[i]!, smoothing)));
      if (smooth) out.push(prep(ys[i]!));
    });
    if (spec.band) out.push(prep(ema(ys[spec.names.length]!, smoothing)), prep(ema(ys[spec.names.length + 1]!, smoothing)));
    return [xs, ...out] as uPlot.AlignedData;
  }, [spec, series, smoothing, smooth, log]);

  const xs = data[0] as number[];
  return (
    <figure className={styles.chart} data-chart={spec.id} data-points={xs.length} data-last-step={xs[xs.length - 1] ?? ""}>
      <figcaption className={styles.chartTitle}>{spec.title}</figcaption>
      <UPlotChart options={options} data={data} height={HEIGHT} label={`${spec.title}: ${xs.length} steps`} />
    </figure>
  );
}
