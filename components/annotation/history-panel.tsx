"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { AnnotationCanvasClient } from "@/components/canvas/annotation-canvas-client";
import { queryKeys } from "@/components/query-keys";
import type { ImageDetail } from "@/server/queries/get-image";
import type { GtGraph } from "@/server/scene-graph/types";
import { fetchRevision, fetchRevisions, revertTo } from "./annotation-api";
import { DIFF_COLOURS, diffScene } from "./canvas-model";
import styles from "./annotation.module.css";

export interface HistoryPanelProps {
  image: ImageDetail;
  currentRevision: number;
  dirty: boolean;
  onReverted: (revision: number, graph: GtGraph) => void;
}

/** The image's revisions: pick two to see what changed drawn on the picture, or revert to one. */
export function HistoryPanel({ image, currentRevision, dirty, onReverted }: HistoryPanelProps) {
  const queryClient = useQueryClient();
  const list = useQuery({ queryKey: queryKeys.annotation.revisions(image.id), queryFn: () => fetchRevisions(image.id) });
  const revisions = useMemo(() => [...(list.data ?? [])].sort((a, b) => b.number - a.number), [list.data]);
  const [picked, setPicked] = useState<{ from: number | null; to: number | null }>({ from: null, to: null });
  // Until two are picked, the newest revision against the one before it.
  const to = picked.to ?? revisions[0]?.number ?? null;
  const from = picked.from ?? revisions.find((r) => to !== null && r.number < to)?.number ?? null;
  const a = useQuery({ queryKey: queryKeys.annotation.revision(image.id, from ?? 0), queryFn: () => fetchRevision(image.id, from!), enabled: from !== null });
  const b = useQuery({ queryKey: queryKeys.annotation.revision(image.id, to ?? 0), queryFn: () => fetchRevision(image.id, to!), enabled: to !== null });
  const diff = useMemo(() => (a.data && b.data ? diffScene(a.data, b.data) : null), [a.data, b.data]);
  const [error, setError] = useState<string | null>(null);

  const revert = useMutation({
    mutationFn: async (n: number) => {
      const result = await revertTo(image.id, currentRevision, n);
      if (!result.ok) throw new Error(`${result.conflict.authorName} saved revision ${result.conflict.revision} meanwhile: reload the page first`);
      return { revision: result.revision, graph: await fetchRevision(image.id, result.revision) };
    },
    onSuccess: ({ revision, graph }) => {
      setError(null);
      void queryClient.invalidateQueries({ queryKey: queryKeys.annotation.revisions(image.id) });
      void queryClient.invalidateQueries({ queryKey: queryKeys.images.all });
      onReverted(revision, graph);
    },
    onError: (e) => setError(e.message),
  });

  return (
    <section className={styles.history} aria-label="Revision history">
      <h2>History</h2>
      {list.isPending ? <p className={styles.muted}>Loading revisions…</p> : null}
      {list.isError ? <p className={styles.error}>Could not load the revisions: {list.error.message}</p> : null}
      {list.data && revisions.length === 0 ? <p className={styles.muted}>No revisions yet: this image still has its ground truth as imported. The first save records that as revision 1.</p> : null}
      {revisions.length ? (
        <div className={styles.historyBody}>
          <table className={styles.revisions}>
            <thead>
              <tr>
                <th title="diff from">A</th>
                <th title="diff to">B</th>
                <th>#</th>
                <th>Author</th>
                <th>Kind</th>
                <th>When</th>
                <th>Objects / relations</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {revisions.map((r) => (
                <tr key={r.number} data-testid={`revision-${r.number}`} aria-current={r.number === currentRevision || undefined}>
                  <td>
                    <input type="radio" name="diff-from" aria-label={`Diff from revision ${r.number}`} checked={from === r.number} onChange={() => setPicked({ to, from: r.number })} />
                  </td>
                  <td>
                    <input type="radio" name="diff-to" aria-label={`Diff to revision ${r.number}`} checked={to === r.number} onChange={() => setPicked({ from, to: r.number })} />
                  </td>
                  <td>{r.number}</td>
                  <td>{r.authorName}</td>
                  <td>
                    {r.kind}
                    {r.message ? <span className={styles.muted}> · {r.message}</span> : null}
                  </td>
                  <td>{new Date(r.createdAt).toLocaleString()}</td>
                  <td>
                    {r.objectCount} / {r.relationCount}
                  </td>
                  <td>
                    {r.number !== currentRevision ? (
                      <button
                        type="button"
                        disabled={revert.isPending}
                        onClick={() => (!dirty || window.confirm("Reverting drops your unsaved changes. Revert?")) && revert.mutate(r.number)}
                      >
                        Revert to {r.number}
                      </button>
                    ) : (
                      <span className={styles.muted}>current</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {error ? <p className={styles.error}>{error}</p> : null}
          <div className={styles.diffCanvas}>
            {diff && from !== null && to !== null ? (
              <>
                <p className={styles.legend} data-testid="diff-legend">
                  Revision {from} → {to}: <Swatch tone="added" n={diff.counts.added} /> <Swatch tone="removed" n={diff.counts.removed} /> <Swatch tone="changed" n={diff.counts.changed} />
                </p>
                <AnnotationCanvasClient
                  src={image.storageKey ? `/api/image-files/${image.storageKey}` : null}
                  width={image.gt.width}
                  height={image.gt.height}
                  boxes={diff.boxes}
                  arrows={diff.arrows}
                  mode="select"
                  selectedObject={null}
                  selectedRelation={null}
                  pendingBox={null}
                  readOnly
                  stageId="diff-stage"
                />
              </>
            ) : (
              <p className={styles.muted}>Pick two revisions (A and B) to see what changed.</p>
            )}
          </div>
        </div>
      ) : null}
    </section>
  );
}

function Swatch({ tone, n }: { tone: "added" | "removed" | "changed"; n: number }) {
  return (
    <span className={styles.swatch}>
      <i style={{ background: DIFF_COLOURS[tone] }} /> {n} {tone}
    </span>
  );
}
