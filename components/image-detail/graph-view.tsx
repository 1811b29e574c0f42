"use client";

import type { Focus } from "./view-model";
import styles from "./image-detail.module.css";

export interface GraphNode {
  index: number;
  label: string;
  colour: string;
  matched: boolean;
}

export type EdgeStatus = "good" | "bad" | "plausible" | "neutral";

export interface GraphEdge {
  index: number;
  from: number;
  to: number;
  predicate: string;
  status: EdgeStatus;
}

export interface GraphViewProps {
  side: "gt" | "pred";
  title: string;
  nodes: readonly GraphNode[];
  edges: readonly GraphEdge[];
  litNodes: ReadonlySet<number>;
  litEdges: ReadonlySet<number>;
  pinned: Focus | null;
  onHover: (focus: Focus | null) => void;
  onPick: (focus: Focus | null) => void;
  empty?: string;
}

const W = 420;
const H = 330;
const R = 118;
const EDGE_COLOUR: Record<EdgeStatus, string> = { good: "#16a34a", bad: "#dc2626", plausible: "#d97706", neutral: "#64748b" };

/** The scene graph as nodes on a circle and curved, labelled edges; an edge click lights its boxes. */
export function GraphView({ side, title, nodes, edges, litNodes, litEdges, pinned, onHover, onPick, empty }: GraphViewProps) {
  const n = nodes.length;
  const pos = nodes.map((_, i) => {
    const t = -Math.PI / 2 + (2 * Math.PI * i) / Math.max(1, n);
    return { x: W / 2 + R * Math.cos(t), y: H / 2 + R * Math.sin(t), t };
  });
  // Parallel edges between one pair bend further apart so each stays clickable.
  const seen = new Map<string, number>();
  const anyLit = litEdges.size > 0 || litNodes.size > 0;
  const edgeShapes = edges.flatMap((e) => {
    const a = pos[e.from];
    const b = pos[e.to];
    if (!a || !b) return [];
    const key = e.from < e.to ? `${e.from}-${e.to}` : `${e.to}-${e.from}`;
    const dup = seen.get(key) ?? 0;
    seen.set(key, dup + 1);
    const focus: Focus = { kind: "triplet", side, index: e.index };
    const isPinned = pinned?.kind === "triplet" && pinned.side === side && pinned.index === e.index;
    const handlers = { onMouseEnter: () => onHover(focus), onClick: () => onPick(isPinned ? null : focus) };
    return [{ e, ...curve(a, b, e.from === e.to, 18 + dup * 22), colour: EDGE_COLOUR[e.status], on: litEdges.has(e.index), handlers }];
  });

  return (
    <figure className={styles.graph} data-testid={`graph-${side}`}>
      <figcaption className={styles.graphTitle}>
        {title}
        <span className={styles.muted}>
          {n} objects · {edges.length} relations
        </span>
      </figcaption>
      {n === 0 ? (
        <p className={styles.graphEmpty}>{empty ?? "No objects."}</p>
      ) : (
        <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`${title} graph`} onMouseLeave={() => onHover(null)}>
          <defs>
            {Object.entries(EDGE_COLOUR).map(([k, c]) => (
              <marker key={k} id={`head-${side}-${k}`} viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                <path d="M0,0 L10,5 L0,10 z" fill={c} />
              </marker>
            ))}
          </defs>
          {edgeShapes.map(({ e, d, colour, on, handlers }) => (
            <g key={e.index} className={styles.edge} opacity={anyLit && !on ? 0.18 : 1} data-testid={`graph-edge-${side}-${e.index}`} data-lit={on || undefined} {...handlers}>
              <title>{`${nodes[e.from]?.label} ${e.predicate} ${nodes[e.to]?.label}`}</title>
              <path d={d} stroke="transparent" strokeWidth={14} fill="none" />
              <path d={d} stroke={colour} strokeWidth={on ? 3 : 1.6} fill="none" markerEnd={`url(#head-${side}-${e.status})`} strokeDasharray={e.status === "bad" && side === "pred" ? "5 3" : undefined} />
            </g>
          ))}
          {/* Labels after every edge, so no edge's hit area covers a label. */}
          {edgeShapes.map(({ e, mx, my, colour, on, handlers }) => (
            <text
              key={e.index}
              x={mx}
              y={my}
              className={styles.edgeLabel}
              fill={colour}
              fontWeight={on ? 700 : 500}
              opacity={anyLit && !on ? 0.25 : 1}
              data-testid={`graph-label-${side}-${e.index}`}
              {...handlers}
            >
              {e.predicate}
            </text>
          ))}
          {nodes.map((node, i) => {
            const p = pos[i]!;
            const on = litNodes.has(node.index);
            const right = Math.cos(p.t) >= -0.01;
            const lx = p.x + Math.cos(p.t) * 12;
            const ly = p.y + Math.sin(p.t) * 12 + 4;
            return (
              <g
                key={node.index}
                className={styles.node}
                opacity={anyLit && !on ? 0.35 : 1}
                onMouseEnter={() => onHover({ kind: "box", side, index: node.index })}
                onClick={() => onPick({ kind: "box", side, index: node.index })}
              >
                <circle cx={p.x} cy={p.y} r={on ? 8 : 6} fill={node.colour} stroke="#0f172a" strokeWidth={1.2} strokeDasharray={node.matched ? undefined : "2 2"} />
                <text x={lx} y={ly} textAnchor={right ? "start" : "end"} className={styles.nodeLabel} fontWeight={on ? 700 : 500}>
                  {node.label}
                </text>
              </g>
            );
          })}
        </svg>
      )}
    </figure>
  );
}

function curve(a: { x: number; y: number }, b: { x: number; y: number }, loop: boolean, bend: number) {
  if (loop) {
    const d = `M${a.x},${a.y} c 30,-40 60,0 0,0`;
    return { d, mx: a.x + 30, my: a.y - 22 };
  }
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const len = Math.hypot(dx, dy) || 1;
  // Stop short of the target node so the arrow head stays visible.
  const ex = b.x - (dx / len) * 8;
  const ey = b.y - (dy / len) * 8;
  const cx = (a.x + b.x) / 2 - (dy / len) * bend;
  const cy = (a.y + b.y) / 2 + (dx / len) * bend;
  return { d: `M${a.x},${a.y} Q${cx},${cy} ${ex},${ey}`, mx: 0.25 * a.x + 0.5 * cx + 0.25 * b.x, my: 0.25 * a.y + 0.5 * cy + 0.25 * b.y };
}
