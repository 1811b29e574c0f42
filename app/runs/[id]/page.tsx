import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { RunView } from "@/components/runs/run-view";
import { getPrisma } from "@/server/db/client";
import { getRun } from "@/server/queries/get-run";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ id: string }> };

const parseId = (raw: string) => {
  const id = Number(raw);
  return Number.isInteger(id) && id > 0 && id < 2 ** 31 ? id : null;
};

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const id = parseId((await params).id);
  const run = id === null ? null : await getPrisma().run.findUnique({ where: { id }, select: { name: true } });
  return { title: run ? `Run ${run.name}` : "Run" };
}

export default async function RunPage({ params }: Props) {
  const id = parseId((await params).id);
  const run = id === null ? null : await getRun(getPrisma(), id);
  if (!run) notFound();
  return <RunView initial={run} />;
}
