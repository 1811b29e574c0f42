"use client";

import { useEffect, useState, type ReactNode } from "react";

/**
 * Renders `children` only after the first paint, when the browser is idle: the sections below the picture
 * (graphs, raw output, mapping audit) then cost nothing on the way to an interactive canvas.
 */
export function Deferred({ children, minHeight }: { children: ReactNode; minHeight: number }) {
  const [ready, setReady] = useState(false);
  useEffect(() => {
    const idle = window.requestIdleCallback ?? ((cb: () => void) => window.setTimeout(cb, 1));
    const cancel = window.cancelIdleCallback ?? window.clearTimeout;
    const id = idle(() => setReady(true), { timeout: 500 });
    return () => cancel(id);
  }, []);
  return ready ? <>{children}</> : <div style={{ minHeight }} aria-busy="true" />;
}
