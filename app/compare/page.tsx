import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { EvaluationPicker } from "@/components/compare/evaluation-picker";
import { FlipsAndImages } from "@/components/compare/flips-and-images";
import { MetricTable } from "@/components/compare/metric-table";
import { PredicateDeltas } from "@/components/compare/predicate-deltas";
import styles from "@/components/compare/compare.module.css";
import { protocolFlags } from "@/components/evaluation/metrics";
import { protocolDifferences, protocolLine, readProtocol } from "@/components/evaluation/protocol";
import { PageHeader } from "@/components/ui/page-header";
import { getPrisma } from "@/server/db/client";
import { compareEvaluations } from "@/server/queries/compare-evaluations";
import { NotFoundError } from "@/server/queries/find-split";
import { listEvaluations } from "@/server/queries/list-evaluations";
import { tripletFlips } from "@/server/queries/triplet-flips";

export const metadata: Metadata = { title: "Compare" };
export const dynamic = "force-dynamic";

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

function parseIds(raw: string | string[] | undefined): number[] {
  const s = typeof raw === "string" ? raw : "";
  const ids = s.split(",").map(Number).filter((n) => Number.isInteger(n) && n > 0 && n < 2 ** 31);
  return [...new Set(ids)].slice(0, 8);
}

async function load(ids: number[]) {
  if (ids.length < 2) return null;
  try {
    const prisma = getPrisma();
    const evaluations = await compareEvaluations(prisma, ids);
    return { evaluations, flips: await tripletFlips(prisma, ids[0]!, ids[1]!) };
  } catch (e) {
    if (e instanceof NotFoundError) notFound();
    throw e;
  }
}

export default async function ComparePage({ searchParams }: Props) {
  const ids = parseIds((await searchParams).evaluations);
  const prisma = getPrisma();
  const all = await listEvaluations(prisma, { limit: 500 });
  const splits = await prisma.split.findMany({ where: { id: { in: [...new Set(all.map((e) => e.predictionSet.splitId))] } }, select: { id: true, name: true, dataset: { select: { name: true } } } });
  const splitLabel = new Map(splits.map((s) => [s.id, `${s.dataset.name}/${s.name}`]));
  const pickable = all.map((e) => ({ id: e.id, predictionSetName: e.predictionSet.name, splitId: e.predictionSet.splitId, splitLabel: splitLabel.get(e.predictionSet.splitId) ?? "?", flags: protocolFlags(e.compat), evaluatorVersion: e.evaluatorVersion }));
  const data = await load(ids);
  const protocols = data?.evaluations.map((e) => readProtocol(e, { dataset: e.dataset, split: e.split })) ?? [];
  const differences = protocols.slice(1).flatMap((p, i) => protocolDifferences(protocols[0]!, p).map((d) => `A vs ${String.fromCharCode(66 + i)}: ${d}`));
  const sameSplit = data ? new Set(data.evaluations.map((e) => e.splitId)).size === 1 : true;
  return (
    <>
      <PageHeader title="Compare">
        <p>Evaluations of prediction sets on the same split, against the first one chosen (A): metrics, per-predicate recall, and every ground-truth triplet one hits and the other misses.</p>
      </PageHeader>
      <details className={styles.pickerToggle} open={!data}>
        <summary>{data ? "Change the evaluations" : "Choose two or more evaluations"}</summary>
        <EvaluationPicker evaluations={pickable} selected={ids} />
      </details>
      {data ? (
        <>
          {protocols[0] ? <p className={styles.protocolNote}>Protocol of A: {protocolLine(protocols[0])}</p> : null}
          {differences.length > 0 ? (
            <div className={styles.warning} role="alert">
              <strong>The protocols differ</strong>, so the numbers below are not measured the same way:
              <ul>
                {differences.map((d) => (
                  <li key={d}>{d}</li>
                ))}
              </ul>
            </div>
          ) : null}
          <section className={styles.panel} aria-labelledby="metrics">
            <h2 id="metrics" className={styles.panelTitle}>
              Metrics <span className={styles.muted}>percent; deltas in points against A, green where better</span>
            </h2>
            <MetricTable evaluations={data.evaluations} />
          </section>
          {sameSplit ? (
            <>
              <section className={styles.panel} aria-labelledby="predicate-deltas">
                <h2 id="predicate-deltas" className={styles.panelTitle}>
                  Recall per predicate, B − A <span className={styles.muted}>ngR points, most frequent predicate first</span>
                </h2>
                <PredicateDeltas a={data.evaluations[0]!} b={data.evaluations[1]!} />
              </section>
              <FlipsAndImages
                flips={data.flips}
                setIds={data.evaluations.slice(0, 2).map((e) => e.predictionSetId)}
                evaluationIds={ids}
                aName={data.evaluations[0]!.predictionSetName}
                bName={data.evaluations[1]!.predictionSetName}
              />
            </>
          ) : null}
        </>
      ) : null}
    </>
  );
}
