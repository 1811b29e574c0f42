"use client";

import { useEffect, useMemo, useRef, useState } from "react";
import uPlot from "uplot";
import styles from "./charts.module.css";
import { UPlotChart } from "./uplot-chart";

/** A shaded run of categories (inclusive indices), e.g. the head, body and tail predicates. */
export interface BarBand {
  from: number;
  to: number;
  label: string;
  color: string;
}

export interface BarChartProps {
  categories: readonly string[];
  values: readonly (number | null)[];
  /** One colour per bar, or one for all. */
  colors: string | readonly string[];
  bands?: readonly BarBand[];
  /** Fixed y range; by default 0..max. */
  yRange?: [number, number];
  yFormat?: (v: number) => string;
  /** The hover line for a bar. */
  describe: (i: number) => string;
  /** Clicking a bar; the cursor becomes a pointer when set. */
  onSelect?: (i: number) => void;
  height?: number;
  label: string;
  testId?: string;
}

/** A categorical bar chart on uPlot: bands behind the bars, a hover readout, a click per bar. */
export function BarChart({ categories, values, colors, bands = [], yRange, yFormat = String, describe, onSelect, height = 300, label, testId }: BarChartProps) {
  const [hover, setHover] = useState<number | null>(null);
  // Callbacks change every render; the plot is built once per data shape and reads them through refs.
  const cb = useRef({ onSelect });
  useEffect(() => {
    cb.current = { onSelect };
  }, [onSelect]);

  const clickable = onSelect !== undefined;
  const data = useMemo<uPlot.AlignedData>(() => [categories.map((_, i) => i), values.map((v) => v ?? null)], [categories, values]);

  const options = useMemo<Omit<uPlot.Options, "width" | "height">>(() => {
    const n = categories.length;
    const fills = typeof colors === "string" ? null : colors;
    return {
      legend: { show: false },
      cursor: { x: false, y: false, points: { show: false }, drag: { x: false, y: false } },
      padding: [18, 12, 0, 4],
      scales: {
        x: { time: false, range: [-0.5, n - 0.5] },
        y: { range: yRange ? () => yRange : (_u, _min, max) => [0, Math.max(max, 1e-9) * 1.08] },
      },
      axes: [
        {
          stroke: "#5b6472",
          grid: { show: false },
          ticks: { show: false },
          splits: () => categories.map((_, i) => i),
          values: (_u, splits) => splits.map((i) => categories[i] ?? ""),
          rotate: n > 8 ? -40 : 0,
          size: n > 8 ? Math.min(110, 18 + 4.4 * Math.max(...categories.map((c) => c.length))) : 34,
          font: "12px system-ui, sans-serif",
          gap: 4,
        },
        {
          stroke: "#5b6472",
          grid: { stroke: "#eceef2", width: 1 },
          ticks: { show: false },
          values: (_u, splits) => splits.map(yFormat),
          size: 48,
          font: "12px system-ui, sans-serif",
        },
      ],
      series: [
        {},
        {
          label,
          fill: typeof colors === "string" ? colors : "#1d4ed8",
          stroke: "transparent",
          width: 0,
          points: { show: false },
          paths: barsPaths(fills),
        },
      ],
      hooks: {
        drawClear: [(u) => drawBands(u, bands)],
        setCursor: [(u) => setHover(u.cursor.idx ?? null)],
        ready: [
          (u) => {
            u.over.style.cursor = clickable ? "pointer" : "default";
            u.over.addEventListener("click", () => {
              const i = u.cursor.idx;
              if (i !== null && i !== undefined) cb.current.onSelect?.(i);
            });
          },
        ],
      },
    };
  }, [categories, colors, bands, yRange, yFormat, label, clickable]);

  return (
    <div className={styles.barChart} data-testid={testId}>
      <p className={styles.readout} aria-live="polite">
        {hover !== null ? describe(hover) : onSelect ? "Hover a bar for its numbers; click it to open those images." : "Hover a bar for its numbers."}
      </p>
      <UPlotChart options={options} data={data} height={height} label={label} />
    </div>
  );
}

function barsPaths(fills: readonly string[] | null): uPlot.Series.PathBuilder | undefined {
  return uPlot.paths.bars!({
    size: [0.7, 56],
    radius: [0.15, 0],
    disp: fills ? { fill: { unit: 3 as uPlot.Series.BarsPathBuilderFacetUnit, values: () => [...fills] } } : undefined,
  });
}

function drawBands(u: uPlot, bands: readonly BarBand[]) {
  const ctx = u.ctx;
  const { top, height } = u.bbox;
  const px = devicePixelRatio || 1;
  ctx.save();
  ctx.font = `${11 * px}px system-ui, sans-serif`;
  ctx.textBaseline = "top";
  for (const b of bands) {
    const x0 = u.valToPos(b.from - 0.5, "x", true);
    const x1 = u.valToPos(b.to + 0.5, "x", true);
    ctx.fillStyle = b.color;
    ctx.fillRect(x0, top, x1 - x0, height);
    ctx.fillStyle = "#5b6472";
    ctx.fillText(b.label, x0 + 6 * px, top - 15 * px);
  }
  ctx.restore();
}
