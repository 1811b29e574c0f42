import type { Metadata } from "next";
import { DatasetSection } from "@/components/datasets/dataset-section";
import { EmptyDatasets } from "@/components/datasets/empty-datasets";
import { PageHeader } from "@/components/ui/page-header";
import { getPrisma } from "@/server/db/client";
import { listDatasetOverview } from "@/server/queries/dataset-overview";

export const metadata: Metadata = { title: "Datasets" };
// Reads the database on every request; nothing here is known at build time.
export const dynamic = "force-dynamic";

export default async function DatasetsPage() {
  const datasets = await listDatasetOverview(getPrisma());
  return (
    <>
      <PageHeader title="Datasets">
        <p>Every dataset with its splits, the prediction sets imported or generated for them, and their evaluations.</p>
      </PageHeader>
      {datasets.length === 0 ? <EmptyDatasets /> : datasets.map((d) => <DatasetSection key={d.id} dataset={d} />)}
    </>
  );
}
