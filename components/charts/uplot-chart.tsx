"use client";

import { useEffect, useRef } from "react";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import styles from "./charts.module.css";

export interface UPlotChartProps {
  /** uPlot options without the size: the chart takes its container's width and the given height. */
  options: Omit<uPlot.Options, "width" | "height">;
  data: uPlot.AlignedData;
  height: number;
  /** Read by screen readers in place of the canvas. */
  label: string;
  className?: string;
}

/**
 * A thin React wrapper around uPlot (the project's chart library: canvas, fast with many points). The
 * plot is built once per `options` object (memoise it) and fed new data in place; it follows its
 * container's width. The plot is made after mount, so
 * the server renders an empty box of the right height.
 */
export function UPlotChart({ options, data, height, label, className }: UPlotChartProps) {
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const latestData = useRef(data);

  useEffect(() => {
    latestData.current = data;
    plot.current?.setData(data);
  }, [data]);

  useEffect(() => {
    const el = host.current;
    if (!el) return;
    plot.current = new uPlot({ ...options, width: Math.max(200, el.clientWidth), height }, latestData.current, el);
    const observer = new ResizeObserver(() => {
      const w = Math.max(200, el.clientWidth);
      if (plot.current && plot.current.width !== w) plot.current.setSize({ width: w, height });
    });
    observer.observe(el);
    return () => {
      observer.disconnect();
      plot.current?.destroy();
      plot.current = null;
    };
  }, [options, height]);

  return <div ref={host} role="img" aria-label={label} className={className ? `${styles.chart} ${className}` : styles.chart} style={{ minHeight: height }} />;
}
