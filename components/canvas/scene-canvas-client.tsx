"use client";

import dynamic from "next/dynamic";
import type { SceneCanvasProps } from "./scene-canvas";
import styles from "./scene-canvas.module.css";

// Konva draws on a browser canvas: load it on the client only, but start fetching it as soon as this
// module runs in the browser instead of waiting for the first render.
const loadCanvas = () => import("./scene-canvas").then((m) => m.SceneCanvas);
if (typeof window !== "undefined") void loadCanvas();
const SceneCanvas = dynamic(loadCanvas, {
  ssr: false,
  loading: () => <div className={styles.placeholder}>Loading canvas…</div>,
});

/** The scene canvas for server-rendered pages: a placeholder first, the Konva stage once in the browser. */
export function SceneCanvasClient(props: SceneCanvasProps) {
  return <SceneCanvas {...props} />;
}
