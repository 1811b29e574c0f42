"use client";

import dynamic from "next/dynamic";
import styles from "./annotation-canvas.module.css";

/** The editing canvas for server-rendered pages: Konva needs a browser canvas, so it loads on the client only. */
export const AnnotationCanvasClient = dynamic(() => import("./annotation-canvas").then((m) => m.AnnotationCanvas), {
  ssr: false,
  loading: () => <div className={styles.placeholder}>Loading canvas…</div>,
});

export type { AnnotationCanvasProps, CanvasMode, EditArrow, EditBox } from "./annotation-canvas";
