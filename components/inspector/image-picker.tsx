"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import styles from "./inspector.module.css";

/** Split → image selects, or an image id typed in; choosing one reloads the inspector on it. */
export function ImagePicker({ splits, images, splitId, imageId }: { splits: { id: number; label: string; imageCount: number }[]; images: { id: number; imageKey: string }[]; splitId: number | undefined; imageId: number | undefined }) {
  const router = useRouter();
  const [typed, setTyped] = useState(imageId ? String(imageId) : "");
  const open = (params: Record<string, string>) => router.push(`/inspector?${new URLSearchParams(params)}`);
  return (
    <div className={styles.picker}>
      <label>
        Split
        <select value={splitId ?? ""} onChange={(e) => open({ split: e.target.value })}>
          <option value="">Choose a split…</option>
          {splits.map((s) => (
            <option key={s.id} value={s.id}>
              {s.label} ({s.imageCount} images)
            </option>
          ))}
        </select>
      </label>
      <label>
        Image
        <select value={imageId ?? ""} onChange={(e) => open({ image: e.target.value })} disabled={images.length === 0}>
          <option value="">Choose an image…</option>
          {images.map((i) => (
            <option key={i.id} value={i.id}>
              {i.imageKey}
            </option>
          ))}
        </select>
      </label>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (/^\d+$/.test(typed)) open({ image: typed });
        }}
      >
        <label>
          or image id
          <input value={typed} onChange={(e) => setTyped(e.target.value)} inputMode="numeric" size={7} />
        </label>
        <button type="submit">Open</button>
      </form>
    </div>
  );
}
