import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { JobDetail } from "@/components/jobs/job-detail";
import { getPrisma } from "@/server/db/client";
import { getJob } from "@/server/jobs/get-job";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ id: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const job = await getJob(getPrisma(), (await params).id);
  return { title: job ? `Job ${job.name}` : "Job" };
}

export default async function JobPage({ params }: Props) {
  const job = await getJob(getPrisma(), (await params).id);
  if (!job) notFound();
  return <JobDetail initial={job} />;
}
