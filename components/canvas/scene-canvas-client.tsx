"use client";

import dynamic from "next/dynamic";
import type { SceneCanvasProps } from "./scene-canvas";
import styles from "./scene-canvas.module.css";

// Konva draws on a browser canvas: load it on the client only.
const SceneCanvas = dynamic(() => import("./scene-canvas").then((m) => m.SceneCanvas), {
  ssr: false,
  loading: () => <div className={styles.placeholder}>Loading canvas…</div>,
});

/** The scene canvas for server-rendered pages: a placeholder first, the Konva stage once in the browser. */
export function SceneCanvasClient(props: SceneCanvasProps) {
  return <SceneCanvas {...props} />;
}
