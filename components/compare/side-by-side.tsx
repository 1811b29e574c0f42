"use client";

import { useQuery } from "@tanstack/react-query";
import { queryKeys } from "@/components/query-keys";
import type { CompareImage } from "./compare-types";
import styles from "./compare.module.css";

type Box = readonly [number, number, number, number];

function Overlay({ width, height, gt, pred }: { width: number; height: number; gt: { id: string; box: Box }[]; pred: { name: string; box: Box; matched: boolean }[] }) {
  const stroke = Math.max(1.5, width / 400);
  return (
    <svg className={styles.overlay} viewBox={`0 0 ${width} ${height}`} preserveAspectRatio="none" aria-hidden="true">
      {gt.map((g, i) => (
        <rect key={`g${i}`} x={g.box[0]} y={g.box[1]} width={g.box[2] - g.box[0]} height={g.box[3] - g.box[1]} className={styles.gtBox} strokeWidth={stroke} />
      ))}
      {pred.map((p, i) => (
        <g key={`p${i}`}>
          <rect x={p.box[0]} y={p.box[1]} width={p.box[2] - p.box[0]} height={p.box[3] - p.box[1]} className={p.matched ? styles.predHit : styles.predMiss} strokeWidth={stroke} />
          <text x={p.box[0] + stroke * 2} y={p.box[1] + stroke * 8} fontSize={Math.max(12, width / 28)} className={styles.boxLabel}>
            {p.name}
          </text>
        </g>
      ))}
    </svg>
  );
}

/** The chosen image once per prediction set, predicted boxes over ground truth, side by side. */
export function SideBySide({ imageId, setIds, evaluationIds }: { imageId: number; setIds: number[]; evaluationIds: number[] }) {
  const q = useQuery({
    queryKey: [...queryKeys.evaluations.compare(evaluationIds), "image", imageId],
    queryFn: async (): Promise<CompareImage> => {
      const r = await fetch(`/api/compare/image?image=${imageId}&sets=${setIds.join(",")}`);
      if (!r.ok) throw new Error(`image ${imageId}: ${r.status}`);
      return r.json() as Promise<CompareImage>;
    },
  });
  if (q.isPending) return <p className={styles.muted}>Loading image {imageId}…</p>;
  if (q.isError) return <p className={styles.warn}>Could not load the image: {q.error.message}</p>;
  const img = q.data;
  return (
    <div className={styles.sideBySide} style={{ gridTemplateColumns: `repeat(${Math.max(1, img.sets.length)}, minmax(0, 1fr))` }} data-testid="side-by-side">
      {img.sets.map((s, i) => (
        <figure key={s.predictionSetId} className={styles.rendering}>
          <figcaption>
            <span className={styles.setTag}>{String.fromCharCode(65 + i)}</span> <strong>{s.name}</strong>{" "}
            <span className={styles.muted}>
              {s.parseOk ? `${s.objects.length} boxes kept · ${s.hits} GT triplets hit` : `failed: ${s.failureKind ?? "?"}`}
            </span>
          </figcaption>
          <div className={styles.frame} style={{ aspectRatio: `${img.width} / ${img.height}` }}>
            {img.storageKey ? (
              // eslint-disable-next-line @next/next/no-img-element -- served as stored, drawn over by the SVG
              <img src={`/api/image-files/${img.storageKey}`} alt={`Image ${img.imageKey}`} />
            ) : (
              <div className={styles.noImage}>no image bytes</div>
            )}
            <Overlay width={img.width} height={img.height} gt={img.gt} pred={s.objects} />
          </div>
          {!s.parseOk && s.failureMessage ? <p className={styles.failure}>{s.failureMessage}</p> : null}
        </figure>
      ))}
      <p className={styles.legend}>
        <span className={styles.keyGt} /> ground truth <span className={styles.keyHit} /> predicted, localises a GT object <span className={styles.keyMiss} /> predicted, no match
      </p>
    </div>
  );
}
