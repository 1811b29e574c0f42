import type { Metadata } from "next";
import { JobList } from "@/components/jobs/job-list";
import { PageHeader } from "@/components/ui/page-header";
import { getPrisma } from "@/server/db/client";
import { JOB_STATUSES, listJobs } from "@/server/jobs/list-jobs";

export const metadata: Metadata = { title: "Jobs" };
export const dynamic = "force-dynamic";

type Props = { searchParams: Promise<{ status?: string | string[] }> };

export default async function JobsPage({ searchParams }: Props) {
  const raw = (await searchParams).status;
  const statuses = (Array.isArray(raw) ? raw.join(",") : (raw ?? "")).split(",").filter((s): s is (typeof JOB_STATUSES)[number] => (JOB_STATUSES as readonly string[]).includes(s));
  const initial = await listJobs(getPrisma(), { statuses, limit: 100 });
  return (
    <>
      <PageHeader title="Jobs">
        <p>
          Background work on the queue: evaluations, predictions and training runs, with progress, retries and errors. Workers started with{" "}
          <code>./bin/sgg worker</code> on any machine with the same database run them.
        </p>
      </PageHeader>
      <JobList initial={initial} statuses={statuses} />
    </>
  );
}
