import type { Metadata } from "next";
import Link from "next/link";
import { RunForm } from "@/components/runs/run-form";
import { PageHeader } from "@/components/ui/page-header";
import { getPrisma } from "@/server/db/client";
import { listDatasets } from "@/server/queries/list-datasets";

export const metadata: Metadata = { title: "New run" };
export const dynamic = "force-dynamic";

export default async function NewRunPage() {
  const prisma = getPrisma();
  const [datasets, checkpoints] = await Promise.all([
    listDatasets(prisma),
    prisma.checkpoint.findMany({
      orderBy: { id: "desc" },
      take: 300,
      select: { id: true, step: true, format: true, model: { select: { name: true } }, run: { select: { id: true, name: true } } },
    }),
  ]);
  const splits = datasets.flatMap((d) => d.splits.filter((s) => s.status === "ready").map((s) => ({ id: s.id, dataset: d.name, name: s.name, imageCount: s.imageCount })));
  const checkpointChoices = checkpoints.map((c) => ({
    id: c.id,
    label: c.run ? `${c.run.name} @ step ${c.step ?? "?"} (${c.format})` : `${c.model.name} (${c.format})`,
  }));
  return (
    <>
      <PageHeader title="New training run">
        <p>
          SFT or GRPO on a stored split. Defaults are those of the reference (R1-SGG); the memory estimate beside the form follows every change. Runs are
          listed under <Link href="/runs">Runs</Link>.
        </p>
      </PageHeader>
      {splits.length === 0 ? (
        <p>
          No split is ready to train on. Ingest one first, e.g. <code>./bin/sgg ingest synthetic --name shapes --split train --images 500</code>.
        </p>
      ) : (
        <RunForm splits={splits} checkpoints={checkpointChoices} />
      )}
    </>
  );
}
