"use client";

import Link from "next/link";
import styles from "./image-detail.module.css";

/** The image could not be loaded: say so and offer a retry. */
export function ImageError({ message, retry }: { message: string; retry: () => void }) {
  return (
    <div className={styles.state} role="alert">
      <h1>This image could not be loaded</h1>
      <p>{message}</p>
      <button type="button" onClick={retry}>
        Try again
      </button>
    </div>
  );
}

/** No image with this id. */
export function ImageNotFound() {
  return (
    <div className={styles.state}>
      <h1>Image not found</h1>
      <p>There is no image with this id. It may belong to a dataset that was removed or re-imported.</p>
      <p>
        <Link href="/datasets">Browse the datasets</Link>
      </p>
    </div>
  );
}
