"use client";

import { useEffect, useRef, useState } from "react";
import { AcceptTripletButton, FlagTripletButton } from "@/components/annotation/review-actions";
import type { ImageDetail, ImagePrediction } from "@/server/queries/get-image";
import { MAPPED_BY_TEXT, REASON_TEXT, sameFocus, type Focus, type Highlight } from "./view-model";
import styles from "./image-detail.module.css";

export interface TripletTableProps {
  image: ImageDetail;
  prediction: ImagePrediction | null;
  highlight: Highlight;
  pinned: Focus | null;
  onHover: (focus: Focus | null) => void;
  onPick: (focus: Focus | null) => void;
}

type Filter = "all" | "missed" | "hit";

/** Ground-truth triplets (hit, or why missed) and predicted triplets (matched, plausible, or not). */
export function TripletTable({ image, prediction, highlight, pinned, onHover, onPick }: TripletTableProps) {
  const [filter, setFilter] = useState<Filter>("all");
  const diag = prediction?.diagnosis;
  const hits = diag?.gt.filter((d) => d.hit).length ?? 0;
  const total = image.gt.relationships.length;
  const pick = (f: Focus) => onPick(sameFocus(pinned, f) ? null : f);

  const gtRows = image.gt.relationships.map((r, i) => ({ r, i, d: diag?.gt[i] }));
  const shown = gtRows.filter(({ d }) => filter === "all" || (filter === "hit" ? d?.hit : !d?.hit));

  return (
    <div className={styles.tables} onMouseLeave={() => onHover(null)}>
      <section aria-label="Ground-truth triplets">
        <header className={styles.tableHead}>
          <h2>Ground truth</h2>
          {prediction ? (
            <span className={styles.recallPill} title="ground-truth triplets recalled by this prediction">
              {hits}/{total} recalled
            </span>
          ) : null}
          {prediction ? (
            <div className={styles.segmented} role="group" aria-label="Filter ground-truth triplets">
              {(["all", "missed", "hit"] as const).map((f) => (
                <button key={f} type="button" aria-pressed={filter === f} onClick={() => setFilter(f)}>
                  {f}
                </button>
              ))}
            </div>
          ) : null}
        </header>
        {total === 0 ? <p className={styles.muted}>No annotated relations.</p> : null}
        <table className={styles.table}>
          <tbody>
            {shown.map(({ r, i, d }) => (
              <Row
                key={i}
                testId={`gt-row-${i}`}
                lit={highlight.gtRows.has(i)}
                pinned={pinned?.kind === "triplet" && pinned.side === "gt" && pinned.index === i}
                onEnter={() => onHover({ kind: "triplet", side: "gt", index: i })}
                onClick={() => pick({ kind: "triplet", side: "gt", index: i })}
                status={!d ? "none" : d.hit ? "hit" : "miss"}
                triplet={[r.subject, r.predicate, r.object]}
                note={
                  <>
                    {d && !d.hit && d.reason ? (
                      <>
                        <strong>{REASON_TEXT[d.reason]}</strong>
                        {d.detail && d.reason !== "failed_answer" ? <span className={styles.detail}> · {d.detail}</span> : null}
                      </>
                    ) : null}
                    <FlagTripletButton imageId={image.id} triplet={r} index={i} predictionSetId={prediction?.predictionSetId} />
                  </>
                }
              />
            ))}
          </tbody>
        </table>
      </section>
      {prediction ? <PredictedTable image={image} prediction={prediction} highlight={highlight} pinned={pinned} onHover={onHover} pick={pick} /> : null}
    </div>
  );
}

function PredictedTable({ image, prediction, highlight, pinned, onHover, pick }: { image: ImageDetail; prediction: ImagePrediction; highlight: Highlight; pinned: Focus | null; onHover: (f: Focus | null) => void; pick: (f: Focus) => void }) {
  const g = prediction.gathered;
  const diag = prediction.diagnosis.predicted;
  const matched = diag.filter((d) => d.matched).length;
  const plausible = diag.filter((d) => d.plausibleUnannotated).length;
  return (
    <section aria-label="Predicted triplets">
      <header className={styles.tableHead}>
        <h2>Predicted</h2>
        <span className={styles.muted}>
          {g.relations.length} kept · {matched} matched · {plausible} plausible
        </span>
      </header>
      {g.failed ? <p className={styles.failNote}>The answer could not be parsed, so nothing was predicted. See the raw output below.</p> : null}
      {!g.failed && g.relations.length === 0 ? <p className={styles.muted}>No predicted relation was kept.</p> : null}
      <table className={styles.table}>
        <tbody>
          {g.relations.map((r, i) => {
            const d = diag[i];
            const s = g.objects[r.subject];
            const o = g.objects[r.object];
            const status = d?.matched ? "hit" : d?.plausibleUnannotated ? "plausible" : "miss";
            const mapping = r.mappedBy !== "vocabulary" ? `${MAPPED_BY_TEXT[r.mappedBy] ?? r.mappedBy}${r.swapped ? ", ends swapped" : ""}` : null;
            return (
              <Row
                key={i}
                testId={`pred-row-${i}`}
                lit={highlight.predRows.has(i)}
                pinned={pinned?.kind === "triplet" && pinned.side === "pred" && pinned.index === i}
                onEnter={() => onHover({ kind: "triplet", side: "pred", index: i })}
                onClick={() => pick({ kind: "triplet", side: "pred", index: i })}
                status={status}
                triplet={[s?.name ?? "?", r.predicate, o?.name ?? "?"]}
                note={
                  <>
                    {d?.matched ? "Matches a ground-truth triplet" : d?.plausibleUnannotated ? <strong className={styles.plausible}>Plausible but unannotated</strong> : "Not in ground truth"}
                    {mapping ? <span className={styles.detail}> · predicate via {mapping}</span> : null}
                    {d && !d.matched ? <AcceptTripletButton imageId={image.id} gt={image.gt} prediction={prediction} index={i} /> : null}
                  </>
                }
              />
            );
          })}
        </tbody>
      </table>
    </section>
  );
}

const STATUS_MARK = { hit: "✓", miss: "✗", plausible: "≈", none: "·" } as const;
const STATUS_LABEL = { hit: "hit", miss: "missed", plausible: "plausible", none: "no prediction" } as const;

function Row(props: {
  testId: string;
  lit: boolean;
  pinned: boolean;
  status: keyof typeof STATUS_MARK;
  triplet: [string, string, string];
  note: React.ReactNode;
  onEnter: () => void;
  onClick: () => void;
}) {
  const ref = useRef<HTMLTableRowElement>(null);
  // A row lit from the canvas or graph scrolls into view inside its panel, never the page.
  useEffect(() => {
    const row = ref.current;
    const box = row?.closest("[data-scroll]");
    if (!props.lit || !row || !(box instanceof HTMLElement)) return;
    const r = row.getBoundingClientRect();
    const b = box.getBoundingClientRect();
    if (r.top < b.top || r.bottom > b.bottom) box.scrollTop += r.top - b.top - box.clientHeight / 3;
  }, [props.lit]);
  const [s, p, o] = props.triplet;
  return (
    <tr
      ref={ref}
      data-testid={props.testId}
      data-status={props.status}
      data-lit={props.lit || undefined}
      className={`${styles.row} ${props.lit ? styles.rowLit : ""} ${props.pinned ? styles.rowPinned : ""}`}
      onMouseEnter={props.onEnter}
      onClick={props.onClick}
    >
      <td className={`${styles.mark} ${styles[`mark_${props.status}`]}`} title={STATUS_LABEL[props.status]} aria-label={STATUS_LABEL[props.status]}>
        {STATUS_MARK[props.status]}
      </td>
      <td className={styles.triplet}>
        <span className={styles.obj}>{s}</span> <span className={styles.pred}>{p}</span> <span className={styles.obj}>{o}</span>
        {props.note ? <div className={styles.note}>{props.note}</div> : null}
      </td>
    </tr>
  );
}
