import type { Metadata } from "next";
import Link from "next/link";
import { RunList } from "@/components/runs/run-list";
import styles from "@/components/runs/runs.module.css";
import { PageHeader } from "@/components/ui/page-header";
import { getPrisma } from "@/server/db/client";
import { listRuns } from "@/server/queries/list-runs";

export const metadata: Metadata = { title: "Runs" };
export const dynamic = "force-dynamic";

export default async function RunsPage() {
  const runs = await listRuns(getPrisma(), { limit: 200 });
  return (
    <>
      <PageHeader title="Training runs">
        <p>SFT and GRPO runs, newest first: status, progress, and the best figures each has reached so far. Open one for its live curves, log, checkpoints and GRPO groups.</p>
      </PageHeader>
      <div className={styles.toolbar}>
        <span className={styles.sub}>{runs.length === 1 ? "1 run" : `${runs.length} runs`}</span>
        <Link href="/runs/new" className={styles.buttonPrimary}>
          New run
        </Link>
      </div>
      <RunList initial={runs} />
    </>
  );
}
