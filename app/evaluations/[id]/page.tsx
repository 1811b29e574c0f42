import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { adjustedRecall, sameProtocol } from "@/components/evaluation/adjusted-recall";
import { AdjustedRecallPanel } from "@/components/evaluation/adjusted-recall-panel";
import { FailureReasons } from "@/components/evaluation/failure-reasons";
import { HeadlineFigures } from "@/components/evaluation/headline-figures";
import { compareHref, gridHref } from "@/components/evaluation/links";
import { readSummary } from "@/components/evaluation/metrics";
import { PredicateRecall } from "@/components/evaluation/predicate-recall";
import { readProtocol } from "@/components/evaluation/protocol";
import { Reevaluate } from "@/components/evaluation/reevaluate";
import styles from "@/components/evaluation/evaluation.module.css";
import { evaluationVersions } from "@/server/annotation/evaluation-versions";
import { getPrisma } from "@/server/db/client";
import { getEvaluation, listEvaluations } from "@/server/queries/list-evaluations";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ id: string }> };

async function load(raw: string) {
  const id = Number(raw);
  if (!Number.isInteger(id) || id <= 0 || id > 2 ** 31 - 1) notFound();
  const e = await getEvaluation(getPrisma(), id);
  if (!e) notFound();
  return e;
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const id = Number((await params).id);
  const e = Number.isInteger(id) && id > 0 && id < 2 ** 31 ? await getPrisma().evaluation.findUnique({ where: { id }, select: { predictionSet: { select: { name: true } } } }) : null;
  return { title: e ? `Evaluation of ${e.predictionSet.name}` : "Evaluation" };
}

export default async function EvaluationPage({ params }: Props) {
  const e = await load((await params).id);
  const set = e.predictionSet;
  const split = set.split;
  const summary = readSummary(e.summary);
  const protocol = readProtocol(e, { dataset: split.dataset.name, split: split.name });
  const peer = (await listEvaluations(getPrisma(), { splitId: split.id, limit: 20 })).find((p) => p.id !== e.id);
  const versions = await evaluationVersions(getPrisma(), set.id);
  const current = versions.currentGtVersion;
  const atCurrent = sameProtocol(versions.evaluations, e).filter((v) => v.gtVersion === current && v.id !== e.id).at(-1)?.id ?? null;
  const adjusted = adjustedRecall(versions.evaluations, e);
  // Only worth a panel once the ground truth the set was measured on has changed.
  const showAdjusted = adjusted !== null && (adjusted.reviewed !== null || current !== e.gtVersion || versions.reviews.accepted + versions.reviews.flagged > 0);
  const predicates = e.predicates.map((p) => ({ predicateId: p.predicateId, predicate: p.predicate, gtCount: p.gtCount, ngrHits: p.ngrHits, ngrRecall: p.ngrRecall }));
  return (
    <>
      <header className={styles.header}>
        <p className={styles.crumbs}>
          <Link href="/evaluations">Evaluations</Link> / #{e.id}
        </p>
        <h1>{set.name}</h1>
        <dl className={styles.protocol} aria-label="Protocol">
          <div>
            <dt>Dataset</dt>
            <dd>
              {protocol.dataset} <span className={styles.sub}>({protocol.datasetType})</span>
            </dd>
          </div>
          <div>
            <dt>Split</dt>
            <dd>{protocol.split}</dd>
          </div>
          <div>
            <dt>Images</dt>
            <dd>{protocol.images ?? "?"}</dd>
          </div>
          <div>
            <dt>GT triplets</dt>
            <dd>{protocol.triplets ?? "?"}</dd>
          </div>
          <div>
            <dt>Flags</dt>
            <dd>{protocol.flags}</dd>
          </div>
          <div>
            <dt>GT version</dt>
            <dd data-testid="gt-version">
              {e.gtVersion} <span className={styles.sub}>{e.gtVersion === current ? "(current)" : `(split now at ${current})`}</span>
            </dd>
          </div>
          <div>
            <dt>Evaluator</dt>
            <dd className={styles.mono}>{protocol.evaluatorVersion}</dd>
          </div>
        </dl>
        <p className={styles.headerLinks}>
          <Link href={gridHref(split.id, set.id, e.id)}>Browse its images</Link>
          {peer ? (
            <Link href={compareHref([e.id, peer.id])}>
              Compare with {peer.predictionSet.name}
              {/* The newest peer is often this set's own run on another GT version: the name alone reads as itself. */}
              {peer.predictionSet.id === set.id ? ` on GT version ${peer.gtVersion}` : null}
            </Link>
          ) : null}
        </p>
      </header>

      <Reevaluate evaluationId={e.id} predictionSetId={set.id} compatKey={e.compatKey} gtVersion={e.gtVersion} currentGtVersion={current} atCurrent={atCurrent} />

      <HeadlineFigures summary={summary} protocol={protocol} />

      {showAdjusted ? <AdjustedRecallPanel figures={adjusted} evaluationId={e.id} currentGtVersion={current} reviews={versions.reviews} /> : null}

      <div className={styles.columns}>
        <section className={styles.panel} aria-labelledby="predicate-recall">
          <h2 id="predicate-recall" className={styles.panelTitle}>
            Recall per predicate <span className={styles.panelNote}>ngR, by ground-truth frequency</span>
          </h2>
          <PredicateRecall predicates={predicates} splitId={split.id} setId={set.id} evaluationId={e.id} />
        </section>
        <FailureReasons reasons={summary.failure?.reasons ?? {}} total={summary.failure?.total ?? 0} splitId={split.id} setId={set.id} evaluationId={e.id} />
      </div>
    </>
  );
}
