import Link from "next/link";
import type { DatasetOverview } from "@/server/queries/dataset-overview";
import { headline, nf, pct, protocolLabel } from "./evaluation-summary";
import styles from "./datasets.module.css";

type Split = DatasetOverview["splits"][number];

const TYPE_LABEL = { vg: "VG150", psg: "PSG" } as const;

/** One dataset: its source and attribution, then each split with its prediction sets and evaluations. */
export function DatasetSection({ dataset }: { dataset: DatasetOverview }) {
  return (
    <section className={styles.dataset} aria-labelledby={`dataset-${dataset.id}`}>
      <header className={styles.datasetHeader}>
        <div className={styles.titleRow}>
          <h2 id={`dataset-${dataset.id}`} className={styles.datasetName}>
            {dataset.name}
          </h2>
          <span className={styles.tag}>{TYPE_LABEL[dataset.datasetType]}</span>
          <span className={styles.tagMuted}>{dataset.format}</span>
        </div>
        {dataset.attribution ? <p className={styles.attribution}>{dataset.attribution}</p> : null}
      </header>
      {dataset.splits.length === 0 ? <p className={styles.empty}>No splits yet.</p> : null}
      {dataset.splits.map((split) => (
        <SplitBlock key={split.id} datasetName={dataset.name} split={split} />
      ))}
    </section>
  );
}

function SplitBlock({ datasetName, split }: { datasetName: string; split: Split }) {
  const ready = split.status === "ready";
  return (
    <div className={styles.split}>
      <div className={styles.splitHeader}>
        <h3 className={styles.splitName}>
          {split.name}
          <span className={ready ? styles.statusReady : styles.statusOther}>{split.status}</span>
        </h3>
        <dl className={styles.counts}>
          <Count label="images" value={split.imageCount} />
          <Count label="objects" value={split.objectCount} />
          <Count label="relations" value={split.relationCount} />
        </dl>
        {ready ? (
          <Link className={styles.browse} href={`/datasets/${split.id}/images`} aria-label={`Browse images of ${datasetName}/${split.name}`}>
            Browse images →
          </Link>
        ) : null}
      </div>
      {split.predictionSets.length === 0 ? (
        <p className={styles.empty}>No prediction sets. Import answers with <code>./bin/sgg import-predictions</code>.</p>
      ) : (
        <PredictionSetTable split={split} />
      )}
    </div>
  );
}

function Count({ label, value }: { label: string; value: number }) {
  return (
    <div className={styles.count}>
      <dt>{label}</dt>
      <dd>{nf.format(value)}</dd>
    </div>
  );
}

function PredictionSetTable({ split }: { split: Split }) {
  return (
    <div className={styles.tableWrap}>
      <table className={styles.table}>
        <thead>
          <tr>
            <th scope="col">Prediction set</th>
            <th scope="col" className={styles.num}>Answers</th>
            <th scope="col" className={styles.num}>Failed</th>
            <th scope="col">Protocol</th>
            <th scope="col" className={styles.num} title="Answers that failed to parse, percent">Failure</th>
            <th scope="col" className={styles.num} title="COCO box AP at IoU 0.5, ×100">AP50</th>
            <th scope="col" className={styles.num} title="No-graph-constraint recall over all ground-truth triplets, ×100">ngR</th>
            <th scope="col" className={styles.num} title="No-graph-constraint recall averaged over predicates, ×100">mean ngR</th>
            <th scope="col"><span className={styles.srOnly}>Links</span></th>
          </tr>
        </thead>
        <tbody>
          {split.predictionSets.flatMap((set) => {
            const rows = set.evaluations.length ? set.evaluations : [null];
            return rows.map((ev, i) => {
              const h = ev ? headline(ev.summary) : null;
              return (
                <tr key={`${set.id}-${ev?.id ?? "none"}`} className={i > 0 ? styles.continued : undefined}>
                  <td className={styles.setName}>{i === 0 ? set.name : ""}</td>
                  <td className={styles.num}>{i === 0 ? nf.format(set.count) : ""}</td>
                  <td className={styles.num}>{i === 0 ? nf.format(set.failedCount) : ""}</td>
                  {ev && h ? (
                    <>
                      <td>
                        <span className={styles.protocol}>{protocolLabel(ev.compat)}</span>
                        <span className={styles.version}>{ev.evaluatorVersion}</span>
                      </td>
                      <td className={styles.num}>{h.failureRate === null ? "–" : `${h.failureRate.toFixed(1)}%`}</td>
                      <td className={styles.num}>{pct(h.ap50)}</td>
                      <td className={styles.num}>{pct(h.ngR)}</td>
                      <td className={styles.num}>{pct(h.ngmR)}</td>
                      <td className={styles.links}>
                        <Link href={`/evaluations/${ev.id}`}>Evaluation</Link>
                        <Link href={`/datasets/${split.id}/images?set=${set.id}&eval=${ev.id}`}>Images</Link>
                      </td>
                    </>
                  ) : (
                    <>
                      <td colSpan={5} className={styles.muted}>
                        Not evaluated
                      </td>
                      <td className={styles.links}>
                        <Link href={`/datasets/${split.id}/images?set=${set.id}`}>Images</Link>
                      </td>
                    </>
                  )}
                </tr>
              );
            });
          })}
        </tbody>
      </table>
    </div>
  );
}
