"use client";

import type Konva from "konva";
import { useEffect, useRef, useState } from "react";
import { Arrow, Group, Image as KImage, Label, Layer, Rect, Stage, Tag, Text, Transformer } from "react-konva";
import type { BoxPx } from "@/server/scene-graph/types";
import styles from "./annotation-canvas.module.css";
import { useFittedStage } from "./use-fitted-stage";
import { useHtmlImage } from "./use-html-image";

/** A box the editing canvas draws; `objectId` is the graph id it stands for. */
export interface EditBox {
  key: string;
  objectId: string;
  label: string;
  bbox: BoxPx;
  colour: string;
  dashed?: boolean;
}

/** A relation arrow between two boxes' centres; `index` is its place in the graph's relation list. */
export interface EditArrow {
  key: string;
  index: number;
  from: BoxPx;
  to: BoxPx;
  predicate: string;
  colour: string;
  dashed?: boolean;
}

export type CanvasMode = "select" | "draw" | "relation";

export interface AnnotationCanvasProps {
  src: string | null;
  /** Image size in pixels; every box is in these pixels (`BoxPx`). */
  width: number;
  height: number;
  boxes: readonly EditBox[];
  arrows: readonly EditArrow[];
  mode: CanvasMode;
  selectedObject: string | null;
  selectedRelation: number | null;
  /** A drawn box waiting for its label. */
  pendingBox: BoxPx | null;
  /** The Konva stage's id (two canvases on one page need two). */
  stageId?: string;
  /** Read-only canvases (a revision diff) select nothing and move nothing. */
  readOnly?: boolean;
  onPickObject?: (id: string | null) => void;
  onPickRelation?: (index: number) => void;
  onBoxChange?: (id: string, bbox: BoxPx) => void;
  onDrawn?: (bbox: BoxPx) => void;
}

const MAX_HEIGHT = 620;
/** A drag shorter than this many screen pixels is a click, not a box. */
const MIN_DRAG = 4;

const centre = (b: BoxPx) => [(b[0] + b[2]) / 2, (b[1] + b[3]) / 2] as const;
const area = (b: BoxPx) => (b[2] - b[0]) * (b[3] - b[1]);

/**
 * The ground-truth editing canvas: the picture fitted to the column, boxes that can be selected, moved
 * and resized (a Transformer on the selected one), arrows that can be selected, and box drawing by
 * dragging in draw mode. Everything it reports is in image pixels; the caller clamps and records it.
 */
export function AnnotationCanvas(props: AnnotationCanvasProps) {
  const { width, height, mode, readOnly } = props;
  const trRef = useRef<Konva.Transformer>(null);
  const layerRef = useRef<Konva.Layer>(null);
  const { wrapRef, stageW, stageH, fit: scale, offX, offY } = useFittedStage(width, height, MAX_HEIGHT);
  const [draft, setDraft] = useState<{ x0: number; y0: number; x1: number; y1: number } | null>(null);
  const img = useHtmlImage(props.src);

  const inv = 1 / scale;

  // The Transformer follows the selected box's node.
  const selected = mode === "select" && !readOnly ? props.selectedObject : null;
  useEffect(() => {
    const tr = trRef.current;
    const layer = layerRef.current;
    if (!tr || !layer) return;
    const node = selected ? layer.find(".edit-box").find((n) => n.getAttr("objectId") === selected) : undefined;
    tr.nodes(node ? [node] : []);
    tr.getLayer()?.batchDraw();
  }, [selected, props.boxes]);

  const toImage = (stage: Konva.Stage | null) => {
    const p = stage?.getPointerPosition();
    if (!p) return null;
    return { x: Math.min(width, Math.max(0, (p.x - offX) / scale)), y: Math.min(height, Math.max(0, (p.y - offY) / scale)) };
  };

  const boxOfNode = (node: Konva.Node): BoxPx => {
    const x = node.x();
    const y = node.y();
    const w = node.width() * node.scaleX();
    const h = node.height() * node.scaleY();
    node.scaleX(1);
    node.scaleY(1);
    return [x, y, x + w, y + h];
  };

  const sorted = [...props.boxes].sort((a, b) => area(b.bbox) - area(a.bbox));
  const interactive = !readOnly;

  const drawBox = (b: EditBox) => {
    const on = b.objectId === props.selectedObject;
    const [x1, y1, x2, y2] = b.bbox;
    return (
      <Group key={b.key}>
        <Rect
          name={`edit-box${on ? " selected" : ""}`}
          objectId={b.objectId}
          x={x1}
          y={y1}
          width={x2 - x1}
          height={y2 - y1}
          stroke={b.colour}
          strokeWidth={on ? 3.5 : 2}
          strokeScaleEnabled={false}
          dash={b.dashed ? [7, 5] : undefined}
          fill={on ? "rgba(250,204,21,0.12)" : "rgba(0,0,0,0.001)"}
          draggable={on && mode === "select" && interactive}
          dragBoundFunc={(pos) => ({
            x: Math.min(Math.max(pos.x, offX), offX + (width - (x2 - x1)) * scale),
            y: Math.min(Math.max(pos.y, offY), offY + (height - (y2 - y1)) * scale),
          })}
          onClick={(e) => {
            e.cancelBubble = true;
            props.onPickObject?.(b.objectId);
          }}
          onDragEnd={(e) => props.onBoxChange?.(b.objectId, boxOfNode(e.target))}
          onTransformEnd={(e) => props.onBoxChange?.(b.objectId, boxOfNode(e.target))}
        />
        <Label x={x1} y={y1} scaleX={inv} scaleY={inv} offsetY={y1 * scale < 18 ? 0 : 18} listening={false}>
          <Tag fill={b.colour} cornerRadius={3} />
          <Text text={b.label} fontSize={12} fontStyle={on ? "bold" : "normal"} fontFamily="system-ui, sans-serif" padding={3} fill="#0f172a" />
        </Label>
      </Group>
    );
  };

  return (
    <div ref={wrapRef} className={styles.wrap} data-mode={mode}>
      <Stage
        id={props.stageId ?? "annotation-stage"}
        width={stageW}
        height={stageH}
        className={styles.stage}
        onMouseDown={(e) => {
          if (mode !== "draw" || readOnly) return;
          const p = toImage(e.target.getStage());
          if (p) setDraft({ x0: p.x, y0: p.y, x1: p.x, y1: p.y });
        }}
        onMouseMove={(e) => {
          if (!draft) return;
          const p = toImage(e.target.getStage());
          if (p) setDraft({ ...draft, x1: p.x, y1: p.y });
        }}
        onMouseUp={() => {
          if (!draft) return;
          setDraft(null);
          const big = Math.abs(draft.x1 - draft.x0) * scale >= MIN_DRAG && Math.abs(draft.y1 - draft.y0) * scale >= MIN_DRAG;
          if (big) props.onDrawn?.([Math.min(draft.x0, draft.x1), Math.min(draft.y0, draft.y1), Math.max(draft.x0, draft.x1), Math.max(draft.y0, draft.y1)]);
        }}
        onClick={(e) => {
          // A click on the picture itself (no box, no arrow) clears the selection.
          if (mode === "select" && interactive && (e.target === e.target.getStage() || e.target.name() === "picture")) props.onPickObject?.(null);
        }}
      >
        <Layer listening={mode === "select"}>
          <Group x={offX} y={offY} scaleX={scale} scaleY={scale}>
            {img ? <KImage name="picture" image={img} width={width} height={height} /> : <Rect name="picture" width={width} height={height} fill="#334155" />}
          </Group>
        </Layer>
        <Layer ref={layerRef} listening={interactive && mode !== "draw"}>
          <Group x={offX} y={offY} scaleX={scale} scaleY={scale}>
            {sorted.filter((b) => b.objectId !== selected).map(drawBox)}
            {props.arrows.map((a) => {
              const p = centre(a.from);
              const q = centre(a.to);
              const on = a.index === props.selectedRelation;
              return (
                <Group key={a.key}>
                  <Arrow
                    name={`edit-arrow${on ? " selected" : ""}`}
                    relationIndex={a.index}
                    points={[p[0], p[1], q[0], q[1]]}
                    stroke={on ? "#facc15" : a.colour}
                    fill={on ? "#facc15" : a.colour}
                    strokeWidth={on ? 3.5 : 2}
                    strokeScaleEnabled={false}
                    hitStrokeWidth={14 * inv}
                    pointerLength={10 * inv}
                    pointerWidth={9 * inv}
                    dash={a.dashed ? [6 * inv, 4 * inv] : undefined}
                    shadowColor="#000"
                    shadowBlur={3}
                    shadowOpacity={0.8}
                    onClick={(e) => {
                      e.cancelBubble = true;
                      if (mode === "select") props.onPickRelation?.(a.index);
                    }}
                  />
                  <Label x={(p[0] + q[0]) / 2} y={(p[1] + q[1]) / 2} scaleX={inv} scaleY={inv} listening={false}>
                    <Tag fill="rgba(15,23,42,0.85)" cornerRadius={3} />
                    <Text text={a.predicate} fontSize={11} padding={2} fill={on ? "#facc15" : a.colour} fontFamily="system-ui, sans-serif" />
                  </Label>
                </Group>
              );
            })}
            {/* The selected box is drawn over the arrows, so it can be dragged anywhere inside it. */}
            {sorted.filter((b) => b.objectId === selected).map(drawBox)}
            {props.pendingBox || draft ? <PendingRect box={props.pendingBox ?? [draft!.x0, draft!.y0, draft!.x1, draft!.y1]} /> : null}
          </Group>
          <Transformer
            ref={trRef}
            rotateEnabled={false}
            keepRatio={false}
            ignoreStroke
            flipEnabled={false}
            boundBoxFunc={(oldBox, box) => {
              const inside = box.x >= offX - 0.5 && box.y >= offY - 0.5 && box.x + box.width <= offX + width * scale + 0.5 && box.y + box.height <= offY + height * scale + 0.5;
              return inside && box.width >= 2 && box.height >= 2 ? box : oldBox;
            }}
          />
        </Layer>
      </Stage>
      <div className={styles.hud}>{mode === "draw" ? "Drag to draw a box" : mode === "relation" ? "Click the subject, then the object" : "Click a box or an arrow to select it"}</div>
    </div>
  );
}

function PendingRect({ box }: { box: BoxPx }) {
  const [a, b, c, d] = box;
  return <Rect name="pending-box" x={Math.min(a, c)} y={Math.min(b, d)} width={Math.abs(c - a)} height={Math.abs(d - b)} stroke="#facc15" strokeWidth={2} strokeScaleEnabled={false} dash={[6, 4]} listening={false} />;
}
