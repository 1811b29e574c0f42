"use client";

import Link from "next/link";
import { imageHref } from "@/components/evaluation/links";
import type { TripletFlip } from "./compare-types";
import styles from "./compare.module.css";

/** One column of flipped triplets; a row opens the image with both sets, its eye button shows it below. */
export function TripletFlipList({ title, kind, flips, count, setIds, selectedImage, onShow }: { title: string; kind: "fixed" | "broken"; flips: TripletFlip[]; count: number; setIds: number[]; selectedImage: number | null; onShow: (imageId: number) => void }) {
  return (
    <section className={styles.flipColumn} aria-label={title}>
      <h3 className={styles.flipTitle}>
        <span className={kind === "fixed" ? styles.better : styles.worse}>{kind === "fixed" ? "▲" : "▼"}</span> {title} <span className={styles.count}>{count}</span>
      </h3>
      {flips.length === 0 ? (
        <p className={styles.muted}>None.</p>
      ) : (
        <ul className={styles.flips}>
          {flips.map((f) => (
            <li key={`${f.imageId}:${f.relationIdx}`} className={f.imageId === selectedImage ? styles.flipSelected : undefined} data-testid={`flip-${kind}`}>
              <Link href={imageHref(f.imageId, setIds)} className={styles.flipLink}>
                <span className={styles.triplet}>
                  <span className={styles.node}>{f.subject}</span> <span className={styles.pred}>{f.predicate}</span> <span className={styles.node}>{f.object}</span>
                </span>
                <span className={styles.muted}>{f.imageKey}</span>
              </Link>
              <button type="button" className={styles.showButton} onClick={() => onShow(f.imageId)} aria-label={`Show ${f.imageKey} side by side`} title="Show side by side">
                ◫
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
