import Link from "next/link";
import type { SplitOverview } from "@/server/queries/dataset-overview";
import { nf } from "./evaluation-summary";
import styles from "./split-header.module.css";

/** Breadcrumb, title and counts of a split's image page. */
export function SplitHeader({ split }: { split: SplitOverview }) {
  return (
    <header className={styles.header}>
      <nav aria-label="Breadcrumb" className={styles.crumbs}>
        <Link href="/datasets">Datasets</Link>
        <span aria-hidden>/</span>
        <span>{split.dataset.name}</span>
      </nav>
      <h1 className={styles.title}>
        {split.dataset.name} <span className={styles.splitName}>{split.name}</span>
      </h1>
      <p className={styles.counts}>
        {nf.format(split.imageCount)} images · {nf.format(split.objectCount)} objects · {nf.format(split.relationCount)} relations
        {split.status !== "ready" ? <span className={styles.status}> · {split.status}</span> : null}
      </p>
      {split.dataset.attribution ? <p className={styles.attribution}>{split.dataset.attribution}</p> : null}
    </header>
  );
}
