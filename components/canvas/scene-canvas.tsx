"use client";

import type Konva from "konva";
import { useCallback, useMemo, useRef, useState } from "react";
import { Arrow, Group, Image as KImage, Label, Layer, Rect, Stage, Tag, Text } from "react-konva";
import type { CanvasArrow, CanvasBox, Focus, Highlight } from "@/components/image-detail/view-model";
import styles from "./scene-canvas.module.css";
import { useFittedStage } from "./use-fitted-stage";
import { useHtmlImage } from "./use-html-image";

export interface SceneCanvasProps {
  src: string | null;
  width: number;
  height: number;
  gtBoxes: readonly CanvasBox[];
  predBoxes: readonly CanvasBox[];
  gtArrows: readonly CanvasArrow[];
  predArrows: readonly CanvasArrow[];
  layers: { gt: boolean; pred: boolean; arrows: boolean };
  highlight: Highlight;
  onHover: (focus: Focus | null) => void;
  onPick: (focus: Focus | null) => void;
}

const MAX_HEIGHT = 620;
const MIN_ZOOM = 1;
const MAX_ZOOM = 24;
/** Label height in screen pixels: 12px text plus padding. */
const LABEL_H = 18;

/**
 * The picture with ground-truth and predicted boxes on separate layers (`gt`, `pred`, `arrows`). Wheel
 * zooms about the pointer, drag pans; strokes and labels keep their screen size at any zoom.
 */
export function SceneCanvas(props: SceneCanvasProps) {
  const { width, height, layers, highlight, onHover, onPick } = props;
  const { wrapRef, stageW, stageH, fit, offX, offY } = useFittedStage(width, height, MAX_HEIGHT);
  const [view, setView] = useState({ zoom: 1, x: 0, y: 0 });
  const img = useHtmlImage(props.src);
  const pan = useRef<{ x: number; y: number; moved: number } | null>(null);

  const scale = fit * view.zoom;
  const inv = 1 / scale;

  const onWheel = useCallback(
    (e: Konva.KonvaEventObject<WheelEvent>) => {
      e.evt.preventDefault();
      const stage = e.target.getStage();
      const p = stage?.getPointerPosition();
      if (!p) return;
      setView((v) => {
        const zoom = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, v.zoom * (e.evt.deltaY < 0 ? 1.15 : 1 / 1.15)));
        if (zoom === MIN_ZOOM) return { zoom, x: 0, y: 0 };
        const s0 = fit * v.zoom;
        const s1 = fit * zoom;
        // Keep the image point under the pointer where it is.
        const ix = (p.x - offX - v.x) / s0;
        const iy = (p.y - offY - v.y) / s0;
        return { zoom, x: p.x - offX - ix * s1, y: p.y - offY - iy * s1 };
      });
    },
    [fit, offX, offY],
  );

  const boxes = useMemo(() => {
    const visible = [...(layers.gt ? props.gtBoxes : []), ...(layers.pred ? props.predBoxes : [])];
    return visible.map((b) => ({ b, area: (b.box[2] - b.box[0]) * (b.box[3] - b.box[1]) }));
  }, [layers.gt, layers.pred, props.gtBoxes, props.predBoxes]);

  // The smallest visible box under the pointer wins, so nested parts stay reachable.
  const boxAt = useCallback(
    (stage: Konva.Stage | null): Focus | null => {
      const p = stage?.getPointerPosition();
      if (!p) return null;
      const ix = (p.x - offX - view.x) / scale;
      const iy = (p.y - offY - view.y) / scale;
      let best: { b: CanvasBox; area: number } | null = null;
      for (const c of boxes) {
        const [x1, y1, x2, y2] = c.b.box;
        if (ix >= x1 && ix <= x2 && iy >= y1 && iy <= y2 && (!best || c.area < best.area)) best = c;
      }
      return best ? { kind: "box", side: best.b.side, index: best.b.index } : null;
    },
    [boxes, offX, offY, view.x, view.y, scale],
  );

  const anyLit = highlight.gtBoxes.size + highlight.predBoxes.size > 0;
  const lit = (b: CanvasBox) => (b.side === "gt" ? highlight.gtBoxes : highlight.predBoxes).has(b.index);

  const drawBox = (b: CanvasBox) => {
    const on = lit(b);
    const [x1, y1, x2, y2] = b.box;
    const gt = b.side === "gt";
    const names = `${b.side}-box ${b.matched ? "matched" : "unmatched"}${on ? " highlighted" : ""}`;
    return (
      <Group key={`${b.side}-${b.index}`} opacity={anyLit && !on ? 0.3 : 1} listening={false}>
        <Rect
          id={`${b.side}-${b.index}`}
          name={names}
          x={x1}
          y={y1}
          width={x2 - x1}
          height={y2 - y1}
          stroke={b.colour}
          strokeWidth={on ? 4 : gt ? 2.5 : 2}
          strokeScaleEnabled={false}
          dash={b.matched ? undefined : [7, 5]}
          // Canvas shadows are drawn in software here and cost more than the rest of the scene: only
          // a highlighted box gets one.
          shadowEnabled={on}
          shadowColor="#000"
          shadowBlur={8}
          shadowOpacity={0.7}
          shadowForStrokeEnabled
          perfectDrawEnabled={false}
        />
        {/* Ground-truth labels sit above the box's top-left corner, predicted ones inside its bottom-left. */}
        <Label x={x1} y={gt ? y1 : y2} scaleX={inv} scaleY={inv} offsetY={gt && offY + view.y + y1 * scale < LABEL_H ? 0 : LABEL_H} name={`${b.side}-label`}>
          <Tag fill={gt ? b.colour : "rgba(15,23,42,0.85)"} stroke={gt ? undefined : b.colour} strokeWidth={1} cornerRadius={3} />
          <Text
            text={`${gt ? "" : "▸ "}${b.label}`}
            fontSize={12}
            fontStyle={on ? "bold" : "normal"}
            fontFamily="system-ui, sans-serif"
            padding={3}
            fill={gt ? "#0f172a" : b.colour}
          />
        </Label>
      </Group>
    );
  };

  const centre = (b: CanvasBox | undefined) => (b ? [(b.box[0] + b.box[2]) / 2, (b.box[1] + b.box[3]) / 2] : null);
  const drawArrow = (a: CanvasArrow, list: readonly CanvasBox[], rows: ReadonlySet<number>) => {
    const p = centre(list[a.from]);
    const q = centre(list[a.to]);
    if (!p || !q) return null;
    const on = rows.has(a.index);
    const colour = a.side === "gt" ? "#f8fafc" : "#fb7185";
    return (
      <Group key={`${a.side}-arrow-${a.index}`} opacity={anyLit && !on ? 0.15 : 0.95} listening={false}>
        <Arrow
          id={`${a.side}-arrow-${a.index}`}
          name={`${a.side}-arrow`}
          points={[p[0]!, p[1]!, q[0]!, q[1]!]}
          stroke={colour}
          fill={colour}
          strokeWidth={on ? 3 : 1.5}
          strokeScaleEnabled={false}
          pointerLength={9 * inv}
          pointerWidth={8 * inv}
          dash={a.side === "pred" ? [6, 4] : undefined}
          shadowColor="#000"
          shadowBlur={3}
          shadowOpacity={0.8}
        />
        <Label x={(p[0]! + q[0]!) / 2} y={(p[1]! + q[1]!) / 2} scaleX={inv} scaleY={inv}>
          <Tag fill="rgba(15,23,42,0.8)" cornerRadius={3} />
          <Text text={a.predicate} fontSize={11} padding={2} fill={colour} fontFamily="system-ui, sans-serif" />
        </Label>
      </Group>
    );
  };

  const reset = () => setView({ zoom: 1, x: 0, y: 0 });

  return (
    <div ref={wrapRef} className={styles.wrap}>
      <Stage
        id="scene-stage"
        width={stageW}
        height={stageH}
        className={styles.stage}
        onWheel={onWheel}
        onMouseDown={(e) => {
          pan.current = { x: e.evt.clientX, y: e.evt.clientY, moved: 0 };
        }}
        onMouseMove={(e) => {
          const p = pan.current;
          if (p && (e.evt.buttons & 1) === 1) {
            const dx = e.evt.clientX - p.x;
            const dy = e.evt.clientY - p.y;
            pan.current = { x: e.evt.clientX, y: e.evt.clientY, moved: p.moved + Math.abs(dx) + Math.abs(dy) };
            if (view.zoom > 1) setView((v) => ({ ...v, x: v.x + dx, y: v.y + dy }));
            return;
          }
          onHover(boxAt(e.target.getStage()));
        }}
        onMouseLeave={() => {
          pan.current = null;
          onHover(null);
        }}
        onClick={(e) => {
          const moved = pan.current?.moved ?? 0;
          pan.current = null;
          // A drag that panned is not a click on a box.
          if (moved < 4) onPick(boxAt(e.target.getStage()));
        }}
        onDblClick={reset}
      >
        <Layer name="image" listening={false}>
          <Group x={offX + view.x} y={offY + view.y} scaleX={scale} scaleY={scale}>
            {img ? <KImage image={img} width={width} height={height} /> : <Rect width={width} height={height} fill="#334155" />}
          </Group>
        </Layer>
        {(["gt", "pred"] as const).map((side) => (
          <Layer key={side} name={side} id={`layer-${side}`} visible={layers[side]} listening={false}>
            <Group x={offX + view.x} y={offY + view.y} scaleX={scale} scaleY={scale}>
              {[...(side === "gt" ? props.gtBoxes : props.predBoxes)]
                .sort((a, b) => (b.box[2] - b.box[0]) * (b.box[3] - b.box[1]) - (a.box[2] - a.box[0]) * (a.box[3] - a.box[1]))
                .map(drawBox)}
            </Group>
          </Layer>
        ))}
        <Layer name="arrows" id="layer-arrows" visible={layers.arrows} listening={false}>
          <Group x={offX + view.x} y={offY + view.y} scaleX={scale} scaleY={scale}>
            {layers.gt ? props.gtArrows.map((a) => drawArrow(a, props.gtBoxes, highlight.gtRows)) : null}
            {layers.pred ? props.predArrows.map((a) => drawArrow(a, props.predBoxes, highlight.predRows)) : null}
          </Group>
        </Layer>
      </Stage>
      <div className={styles.hud}>
        <span>{Math.round(view.zoom * 100)}%</span>
        <button type="button" onClick={reset} disabled={view.zoom === 1} title="Fit the whole picture (double-click)">
          Fit
        </button>
      </div>
    </div>
  );
}
