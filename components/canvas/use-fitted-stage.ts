import { useEffect, useRef, useState, type RefObject } from "react";

export interface FittedStage {
  /** Attach to the element whose width the stage fills. */
  readonly wrapRef: RefObject<HTMLDivElement | null>;
  /** Stage size in screen pixels. */
  readonly stageW: number;
  readonly stageH: number;
  /** Screen pixels per image pixel when the whole image fits, and the offsets that centre it. */
  readonly fit: number;
  readonly offX: number;
  readonly offY: number;
}

/** A stage as wide as its container (followed with a ResizeObserver), at most `maxHeight` tall, fitting a `width` × `height` px image. */
export function useFittedStage(width: number, height: number, maxHeight: number): FittedStage {
  const wrapRef = useRef<HTMLDivElement>(null);
  const [boxW, setBoxW] = useState(800);
  useEffect(() => {
    const el = wrapRef.current;
    if (!el) return;
    const ro = new ResizeObserver(([e]) => e && setBoxW(Math.max(200, Math.floor(e.contentRect.width))));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  const stageW = boxW;
  const stageH = Math.min(maxHeight, Math.round((boxW * height) / width));
  const fit = Math.min(stageW / width, stageH / height);
  return { wrapRef, stageW, stageH, fit, offX: (stageW - width * fit) / 2, offY: (stageH - height * fit) / 2 };
}
