"use client";

import type { ImageDetail } from "@/server/queries/get-image";
import { GraphView, type GraphEdge, type GraphNode } from "./graph-view";
import type { Focus, Highlight, SceneModel } from "./view-model";
import styles from "./image-detail.module.css";

export interface GraphPanelProps {
  image: ImageDetail;
  scene: SceneModel;
  highlight: Highlight;
  pinned: Focus | null;
  onHover: (focus: Focus | null) => void;
  onPick: (focus: Focus | null) => void;
}

/** Ground-truth and predicted scene graphs side by side, edges coloured by their diagnosis. */
export function GraphPanel({ image, scene, highlight, pinned, onHover, onPick }: GraphPanelProps) {
  const p = scene.prediction;
  const gtNodes: GraphNode[] = scene.gtBoxes.map((b) => ({ index: b.index, label: b.label, colour: b.colour, matched: b.matched }));
  const gtEdges: GraphEdge[] = scene.gtArrows.map((a) => {
    const d = p?.diagnosis.gt[a.index];
    return { index: a.index, from: a.from, to: a.to, predicate: a.predicate, status: !d ? "neutral" : d.hit ? "good" : "bad" };
  });
  const predNodes: GraphNode[] = scene.predBoxes.map((b) => ({ index: b.index, label: p?.gathered.objects[b.index]?.name ?? b.label, colour: b.colour, matched: b.matched }));
  const predEdges: GraphEdge[] = scene.predArrows.map((a) => {
    const d = p?.diagnosis.predicted[a.index];
    return { index: a.index, from: a.from, to: a.to, predicate: a.predicate, status: d?.matched ? "good" : d?.plausibleUnannotated ? "plausible" : "bad" };
  });
  return (
    <section className={styles.graphs} aria-label="Scene graphs">
      <GraphView
        side="gt"
        title="Ground-truth graph"
        nodes={gtNodes}
        edges={gtEdges}
        litNodes={highlight.gtBoxes}
        litEdges={highlight.gtRows}
        pinned={pinned}
        onHover={onHover}
        onPick={onPick}
        empty={`${image.imageKey} has no annotated objects.`}
      />
      {p ? (
        <GraphView
          side="pred"
          title={`Predicted graph · ${p.predictionSetName}`}
          nodes={predNodes}
          edges={predEdges}
          litNodes={highlight.predBoxes}
          litEdges={highlight.predRows}
          pinned={pinned}
          onHover={onHover}
          onPick={onPick}
          empty={p.gathered.failed ? "The answer failed to parse: no predicted graph." : "No predicted object was kept."}
        />
      ) : null}
      <p className={styles.graphLegend}>
        <span style={{ color: "#16a34a" }}>━ hit / matched</span>
        <span style={{ color: "#dc2626" }}>━ missed / not in ground truth</span>
        <span style={{ color: "#d97706" }}>━ plausible but unannotated</span>
        <span className={styles.muted}>Click an edge to light its two boxes on the picture.</span>
      </p>
    </section>
  );
}
