import Link from "next/link";
import type { ImageListItem } from "@/server/queries/list-images";
import { FAILURE_LABEL } from "./browse-filters";
import styles from "./image-grid.module.css";

/** Caption height below the 4:3 thumbnail box; the grid sizes rows from it. */
export const TILE_CAPTION = 50;
export const tileHeight = (width: number) => (width * 3) / 4 + TILE_CAPTION;

export interface ImageTileProps {
  image: ImageListItem;
  /** The prediction set the grid is seen through; the image page opens with it. */
  setId?: number;
  withRecall: boolean;
}

/** One image: thumbnail in a fixed box (no reflow when it loads), its id and counts, recall and failure. */
export function ImageTile({ image, setId, withRecall }: ImageTileProps) {
  const href = setId === undefined ? `/images/${image.id}` : `/images/${image.id}?sets=${setId}`;
  const failure = image.failureKind ? (FAILURE_LABEL[image.failureKind] ?? image.failureKind) : image.failed ? "Failed" : null;
  return (
    <Link href={href} prefetch={false} className={styles.tile} aria-label={`Image ${image.imageKey}`} data-image-id={image.id}>
      <span className={styles.thumb}>
        {image.storageKey ? (
          // A plain img: thumbnails are already sized and cached for good by the image route.
          // eslint-disable-next-line @next/next/no-img-element
          <img src={`/api/image-files/${image.storageKey}?thumb=1`} alt="" loading="lazy" decoding="async" />
        ) : (
          <span className={styles.noImage}>no image bytes</span>
        )}
        {failure ? <span className={styles.failBadge}>{failure}</span> : null}
        {setId !== undefined && image.predicted === false ? <span className={styles.missingBadge}>no answer</span> : null}
      </span>
      <span className={styles.caption}>
        <span className={styles.imageKey} title={image.imageKey}>
          {image.imageKey}
        </span>
        <span className={styles.meta}>
          <span title="ground-truth objects">{image.objectCount} obj</span>
          <span title="ground-truth relations">{image.relationCount} rel</span>
          {withRecall ? <Recall value={image.recall} /> : null}
        </span>
      </span>
    </Link>
  );
}

function Recall({ value }: { value: number | null }) {
  if (value === null) return <span className={styles.recallNone} title="no ground-truth relations">ngR –</span>;
  const tone = value >= 0.6 ? styles.good : value >= 0.3 ? styles.fair : styles.poor;
  return (
    <span className={`${styles.recall} ${tone}`} title="per-image no-graph-constraint recall">
      ngR {(value * 100).toFixed(0)}%
    </span>
  );
}

/** Same box as a tile, for the first load. */
export function TileSkeleton() {
  return (
    <span className={`${styles.tile} ${styles.skeleton}`} aria-hidden>
      <span className={styles.thumb} />
      <span className={styles.caption}>
        <span className={styles.skeletonLine} />
        <span className={styles.skeletonLineShort} />
      </span>
    </span>
  );
}
