"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useMemo, useState, useTransition } from "react";
import { preload } from "react-dom";
import { SceneCanvasClient } from "@/components/canvas/scene-canvas-client";
import { queryKeys } from "@/components/query-keys";
import type { ImageDetail } from "@/server/queries/get-image";
import type { ImageNeighbours } from "@/server/queries/image-neighbours";
import { Deferred } from "./deferred";
import { GraphPanel } from "./graph-panel";
import { MappingAudit } from "./mapping-audit";
import { RawOutput } from "./raw-output";
import { ShortcutHelp } from "./shortcut-help";
import { TripletTable } from "./triplet-table";
import { buildScene, highlightFor, type Focus } from "./view-model";
import styles from "./image-detail.module.css";

export interface ImageViewerProps {
  initial: ImageDetail;
  setIds: number[];
  neighbours: ImageNeighbours;
}

async function fetchImage(id: number, sets: readonly number[]): Promise<ImageDetail> {
  const res = await fetch(`/api/images/${id}${sets.length ? `?sets=${sets.join(",")}` : ""}`);
  if (!res.ok) throw new Error(`image ${id}: HTTP ${res.status}`);
  return (await res.json()) as ImageDetail;
}

/** The image page's interactive part: canvas, triplets, graphs, raw output, with linked highlighting. */
export function ImageViewer({ initial, setIds, neighbours }: ImageViewerProps) {
  const router = useRouter();
  const query = useQuery({
    queryKey: queryKeys.images.detail(initial.id, setIds),
    queryFn: () => fetchImage(initial.id, setIds),
    initialData: initial,
  });
  const image = query.data;
  const [active, setActive] = useState(0);
  const [layers, setLayers] = useState({ gt: true, pred: true, arrows: false });
  const [hover, setHover] = useState<Focus | null>(null);
  const [pinned, setPinned] = useState<Focus | null>(null);
  const [help, setHelp] = useState(false);
  const [navigating, startNavigation] = useTransition();
  const go = (href: string) => startNavigation(() => router.push(href));

  const prediction = image.predictions[Math.min(active, image.predictions.length - 1)] ?? null;
  const scene = useMemo(() => buildScene(image, prediction), [image, prediction]);
  const highlight = useMemo(() => highlightFor(hover ?? pinned, scene), [hover, pinned, scene]);
  const setsQuery = setIds.length ? `?sets=${setIds.join(",")}` : "";
  const hrefOf = (id: number | null) => (id === null ? null : `/images/${id}${setsQuery}`);
  const prevHref = hrefOf(neighbours.previous);
  const nextHref = hrefOf(neighbours.next);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement | null;
      if (e.metaKey || e.ctrlKey || e.altKey || (t && (t.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(t.tagName)))) return;
      const toggle = (k: "gt" | "pred" | "arrows") => setLayers((l) => ({ ...l, [k]: !l[k] }));
      if (e.key === "ArrowLeft" && prevHref) go(prevHref);
      else if (e.key === "ArrowRight" && nextHref) go(nextHref);
      else if (e.key === "g") toggle("gt");
      else if (e.key === "p") toggle("pred");
      else if (e.key === "a") toggle("arrows");
      else if (e.key === "?") setHelp((h) => !h);
      else if (e.key === "Escape") {
        setHelp(false);
        setPinned(null);
      } else if (/^[1-9]$/.test(e.key) && Number(e.key) <= image.predictions.length) setActive(Number(e.key) - 1);
      else return;
      e.preventDefault();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  });

  const gtHits = prediction?.diagnosis.gt.filter((d) => d.hit).length ?? 0;
  const matchedObjects = prediction?.diagnosis.objectMatch.filter((m) => m !== null).length ?? 0;
  const src = image.storageKey ? `/api/image-files/${image.storageKey}` : null;
  // Start the picture's download with the HTML rather than after the canvas code has loaded.
  if (src) preload(src, { as: "image", fetchPriority: "high" });

  return (
    <div className={styles.page} aria-busy={navigating || undefined}>
      {navigating ? <div className={styles.navBar} role="progressbar" aria-label="Loading the next image" /> : null}
      <header className={styles.head}>
        <div>
          <p className={styles.crumbs}>
            <Link href={`/datasets/${image.splitId}/images${setIds.length === 1 ? `?predictionSetId=${setIds[0]}` : ""}`}>
              {neighbours.datasetName}/{neighbours.splitName}
            </Link>
            <span> · image {neighbours.position} of {neighbours.total}</span>
          </p>
          <h1 className={styles.title}>{image.imageKey}</h1>
          <p className={styles.muted}>
            {image.gt.width}×{image.gt.height}px · {image.gt.objects.length} objects · {image.gt.relationships.length} relations
            {query.isFetching || navigating ? " · loading…" : ""}
          </p>
        </div>
        <nav className={styles.pager} aria-label="Images in this split">
          {prevHref ? <Link href={prevHref} rel="prev" aria-label="Previous image">← Previous</Link> : <span aria-disabled>← Previous</span>}
          {nextHref ? <Link href={nextHref} rel="next" aria-label="Next image">Next →</Link> : <span aria-disabled>Next →</span>}
        </nav>
      </header>

      <div className={styles.toolbar}>
        {image.predictions.length > 1 ? (
          <div className={styles.segmented} role="tablist" aria-label="Prediction set">
            {image.predictions.map((p, i) => (
              <button key={p.predictionSetId} type="button" role="tab" aria-selected={prediction === p} onClick={() => setActive(i)} title={`Key ${i + 1}`}>
                {p.predictionSetName}
              </button>
            ))}
          </div>
        ) : prediction ? (
          <span className={styles.setName}>
            Prediction set <strong>{prediction.predictionSetName}</strong>
          </span>
        ) : (
          <span className={styles.muted}>Ground truth only: open with <code>?sets=…</code> to compare predictions.</span>
        )}
        <div className={styles.toggles} aria-label="Layers">
          <Toggle on={layers.gt} label="Ground truth" hotkey="g" onClick={() => setLayers((l) => ({ ...l, gt: !l.gt }))} />
          <Toggle on={layers.pred} label="Prediction" hotkey="p" onClick={() => setLayers((l) => ({ ...l, pred: !l.pred }))} disabled={!prediction} />
          <Toggle on={layers.arrows} label="Relations" hotkey="a" onClick={() => setLayers((l) => ({ ...l, arrows: !l.arrows }))} />
          <Link className={styles.toggle} href={`/images/${image.id}?${setIds.length ? `sets=${setIds.join(",")}&` : ""}edit=1`}>
            Edit ground truth
          </Link>
          {prediction && !prediction.gathered.failed ? (
            <Link className={styles.toggle} href={`/images/${image.id}?sets=${setIds.join(",")}&edit=1&from=${prediction.predictionSetId}`}>
              Start from this prediction
            </Link>
          ) : null}
          <button type="button" className={styles.helpButton} onClick={() => setHelp(true)} aria-label="Keyboard shortcuts">
            ?
          </button>
        </div>
      </div>

      {prediction ? (
        <dl className={styles.stats}>
          <Stat label="Triplets recalled" value={`${gtHits}/${image.gt.relationships.length}`} tone={prediction.gathered.failed ? "bad" : undefined} />
          <Stat label="Objects matched" value={`${matchedObjects}/${image.gt.objects.length}`} />
          <Stat label="Predicted objects kept" value={`${prediction.gathered.objects.length}`} />
          <Stat label="Predicted relations kept" value={`${prediction.gathered.relations.length}`} />
          <Stat label="Answer" value={prediction.gathered.failed ? `failed · ${prediction.gathered.failure?.kind ?? "unparseable"}` : "parsed"} tone={prediction.gathered.failed ? "bad" : "good"} />
        </dl>
      ) : null}

      <div className={styles.main}>
        <div className={styles.canvasCol}>
          <SceneCanvasClient
            src={src}
            width={scene.width}
            height={scene.height}
            gtBoxes={scene.gtBoxes}
            predBoxes={scene.predBoxes}
            gtArrows={scene.gtArrows}
            predArrows={scene.predArrows}
            layers={{ ...layers, pred: layers.pred && !!prediction }}
            highlight={highlight}
            onHover={setHover}
            onPick={setPinned}
          />
          <Legend withPrediction={!!prediction} />
        </div>
        <div className={styles.sideCol} data-scroll>
          <Deferred minHeight={400}>
            <TripletTable image={image} prediction={prediction} highlight={highlight} pinned={pinned} onHover={setHover} onPick={setPinned} />
          </Deferred>
        </div>
      </div>

      <Deferred minHeight={320}>
        <GraphPanel image={image} scene={scene} highlight={highlight} pinned={pinned} onHover={setHover} onPick={setPinned} />

        {prediction ? (
          <div className={styles.lower}>
            <RawOutput prediction={prediction} />
            <MappingAudit prediction={prediction} />
          </div>
        ) : null}
      </Deferred>

      {help ? <ShortcutHelp onClose={() => setHelp(false)} /> : null}
    </div>
  );
}

function Toggle({ on, label, hotkey, onClick, disabled }: { on: boolean; label: string; hotkey: string; onClick: () => void; disabled?: boolean }) {
  return (
    <button type="button" className={styles.toggle} aria-pressed={on && !disabled} onClick={onClick} disabled={disabled} title={`Toggle ${label.toLowerCase()} (${hotkey})`}>
      <span className={styles.toggleDot} aria-hidden />
      {label}
      <kbd>{hotkey}</kbd>
    </button>
  );
}

function Stat({ label, value, tone }: { label: string; value: string; tone?: "good" | "bad" }) {
  return (
    <div className={`${styles.stat} ${tone ? styles[`stat_${tone}`] : ""}`}>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
}

function Legend({ withPrediction }: { withPrediction: boolean }) {
  return (
    <p className={styles.legend}>
      <span><i className={styles.swGt} /> ground truth (label above)</span>
      {withPrediction ? (
        <>
          <span><i className={styles.swPred} /> prediction (label inside, ▸)</span>
          <span><i className={styles.swPair} /> same colour = matched pair</span>
          <span><i className={styles.swDash} /> dashed = unmatched</span>
        </>
      ) : null}
      <span className={styles.muted}>Wheel to zoom, drag to pan, double-click to fit. Click a box to pin it.</span>
    </p>
  );
}
