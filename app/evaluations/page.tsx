import type { Metadata } from "next";
import Link from "next/link";
import { EvaluationList } from "@/components/evaluation/evaluation-list";
import { PageHeader } from "@/components/ui/page-header";
import { getPrisma } from "@/server/db/client";
import { listEvaluations } from "@/server/queries/list-evaluations";

export const metadata: Metadata = { title: "Evaluations" };
export const dynamic = "force-dynamic";

export default async function EvaluationsPage() {
  const prisma = getPrisma();
  const rows = await listEvaluations(prisma, { limit: 500 });
  const splits = await prisma.split.findMany({ where: { id: { in: [...new Set(rows.map((r) => r.predictionSet.splitId))] } }, select: { id: true, name: true, gtVersion: true, dataset: { select: { name: true } } } });
  const splitById = new Map(splits.map((s) => [s.id, s]));
  const items = rows.map((r) => {
    const split = splitById.get(r.predictionSet.splitId);
    return {
      id: r.id,
      predictionSetId: r.predictionSetId,
      predictionSetName: r.predictionSet.name,
      dataset: split?.dataset.name ?? "?",
      split: split?.name ?? "?",
      compat: r.compat,
      evaluatorVersion: r.evaluatorVersion,
      gtVersion: r.gtVersion,
      currentGtVersion: split?.gtVersion ?? r.gtVersion,
      createdAt: r.createdAt.toISOString(),
      summary: r.summary,
    };
  });
  return (
    <>
      <PageHeader title="Evaluations">
        <p>
          Every prediction set scored against its split, newest first, with the protocol it was measured under. Open one for its
          dashboard, or <Link href="/compare">compare</Link> sets of the same split.
        </p>
      </PageHeader>
      {items.length === 0 ? (
        <p>
          No evaluations yet. Import predictions and run <code>./bin/sgg evaluate --prediction-set &lt;id&gt;</code>.
        </p>
      ) : (
        <EvaluationList items={items} />
      )}
    </>
  );
}
