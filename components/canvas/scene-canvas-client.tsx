"use client";

import { createElement, useSyncExternalStore, type ComponentType } from "react";
import type { SceneCanvasProps } from "./scene-canvas";
import styles from "./scene-canvas.module.css";

// Konva draws on a browser canvas, so its code is loaded in the browser only, as a separate chunk whose
// download starts as soon as this module runs. A plain dynamic import rather than next/dynamic:
// next/dynamic renders through Suspense, and React throttles revealing a Suspense boundary (about 300 ms
// after its fallback), which kept an already loaded canvas off screen.
let loaded: ComponentType<SceneCanvasProps> | null = null;
const listeners = new Set<() => void>();
if (typeof window !== "undefined") {
  void import("./scene-canvas").then((m) => {
    loaded = m.SceneCanvas;
    for (const l of listeners) l();
  });
}
const subscribe = (l: () => void) => {
  listeners.add(l);
  return () => listeners.delete(l);
};

/** The scene canvas for server-rendered pages: a placeholder first (and on the server), the Konva stage once loaded. */
export function SceneCanvasClient(props: SceneCanvasProps) {
  const Canvas = useSyncExternalStore(subscribe, () => loaded, () => null);
  // The component is module state, set once when its chunk arrives: never a new type per render.
  return Canvas ? createElement(Canvas, props) : <div className={styles.placeholder}>Loading canvas…</div>;
}
