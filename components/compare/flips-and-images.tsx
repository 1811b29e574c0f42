"use client";

import { useState } from "react";
import type { TripletFlips } from "./compare-types";
import { SideBySide } from "./side-by-side";
import { TripletFlipList } from "./triplet-flip-list";
import styles from "./compare.module.css";

/** Triplets fixed and broken from A to B, and the chosen image drawn for both sets. */
export function FlipsAndImages({ flips, setIds, evaluationIds, aName, bName }: { flips: TripletFlips; setIds: number[]; evaluationIds: number[]; aName: string; bName: string }) {
  const first = flips.fixed[0]?.imageId ?? flips.broken[0]?.imageId ?? null;
  const [imageId, setImageId] = useState<number | null>(first);
  return (
    <>
      <section className={styles.panel} aria-labelledby="flips">
        <h2 id="flips" className={styles.panelTitle}>
          Triplets that changed <span className={styles.muted}>from A ({aName}) to B ({bName}), on {flips.imagesChanged} images</span>
        </h2>
        <div className={styles.flipColumns}>
          <TripletFlipList title="Fixed by B" kind="fixed" flips={flips.fixed} count={flips.fixedCount} setIds={setIds} selectedImage={imageId} onShow={setImageId} />
          <TripletFlipList title="Broken by B" kind="broken" flips={flips.broken} count={flips.brokenCount} setIds={setIds} selectedImage={imageId} onShow={setImageId} />
        </div>
      </section>
      <section className={styles.panel} aria-labelledby="renderings">
        <h2 id="renderings" className={styles.panelTitle}>
          Side by side
        </h2>
        {imageId === null ? <p className={styles.muted}>No triplet changed, so there is no image to show.</p> : <SideBySide imageId={imageId} setIds={setIds} evaluationIds={evaluationIds} />}
      </section>
    </>
  );
}
