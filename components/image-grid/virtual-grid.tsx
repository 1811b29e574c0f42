"use client";

import { useEffect, useLayoutEffect, useRef, useState, type ReactNode } from "react";
import styles from "./image-grid.module.css";

export interface VirtualGridProps<T> {
  items: readonly T[];
  /** Tiles are at least this wide; the columns share the row's width. */
  minTileWidth: number;
  gap: number;
  /** Height of a tile of the given width (fixed per row, so every row is the same height). */
  tileHeight: (width: number) => number;
  renderTile: (item: T, index: number) => ReactNode;
  getKey: (item: T, index: number) => string | number;
  /** Called when the rows near the end come into view (load the next page). */
  onNearEnd?: () => void;
  /** Rows mounted above and below the viewport. */
  overscan?: number;
}

/**
 * A window-scrolled grid that mounts only the rows in (or near) the viewport: a spacer as tall as every
 * row, and the visible rows absolutely placed in it. Row height is fixed, so the position of any row is
 * arithmetic and nothing is measured per tile; 100,000 images cost as much as a screenful.
 */
export function VirtualGrid<T>({ items, minTileWidth, gap, tileHeight, renderTile, getKey, onNearEnd, overscan = 3 }: VirtualGridProps<T>) {
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  const [range, setRange] = useState<[number, number]>([0, 0]);

  const columns = width > 0 ? Math.max(1, Math.floor((width + gap) / (minTileWidth + gap))) : 1;
  const tileWidth = width > 0 ? (width - gap * (columns - 1)) / columns : minTileWidth;
  const rowHeight = Math.round(tileHeight(tileWidth)) + gap;
  const rowCount = Math.ceil(items.length / columns);

  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    setWidth(el.getBoundingClientRect().width);
    const ro = new ResizeObserver(([entry]) => entry && setWidth(entry.contentRect.width));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  // Visible rows from the grid's position in the window; state changes only when the row range does.
  useLayoutEffect(() => {
    let frame = 0;
    const update = () => {
      frame = 0;
      const el = ref.current;
      if (!el) return;
      const top = -el.getBoundingClientRect().top;
      const first = Math.max(0, Math.floor(top / rowHeight) - overscan);
      const last = Math.min(rowCount, Math.ceil((top + window.innerHeight) / rowHeight) + overscan);
      setRange((r) => (r[0] === first && r[1] === last ? r : [first, last]));
    };
    const schedule = () => {
      if (!frame) frame = requestAnimationFrame(update);
    };
    update();
    window.addEventListener("scroll", schedule, { passive: true });
    window.addEventListener("resize", schedule);
    return () => {
      window.removeEventListener("scroll", schedule);
      window.removeEventListener("resize", schedule);
      if (frame) cancelAnimationFrame(frame);
    };
  }, [rowHeight, rowCount, overscan]);

  const [first, last] = range;
  const nearEnd = rowCount > 0 && last >= rowCount - overscan;
  useEffect(() => {
    if (nearEnd) onNearEnd?.();
  }, [nearEnd, items.length, onNearEnd]);

  const rows: ReactNode[] = [];
  if (width > 0) {
    for (let r = first; r < last; r++) {
      const start = r * columns;
      rows.push(
        <div
          key={r}
          className={styles.row}
          role="row"
          aria-rowindex={r + 1}
          style={{ transform: `translateY(${r * rowHeight}px)`, height: rowHeight - gap, gap, gridTemplateColumns: `repeat(${columns}, minmax(0, 1fr))` }}
        >
          {items.slice(start, start + columns).map((item, i) => (
            <div key={getKey(item, start + i)} role="gridcell" className={styles.cell}>
              {renderTile(item, start + i)}
            </div>
          ))}
        </div>,
      );
    }
  }
  return (
    <div ref={ref} role="grid" aria-rowcount={rowCount} className={styles.viewport} style={{ height: Math.max(0, rowCount * rowHeight - gap) }}>
      {rows}
    </div>
  );
}
