"use client";

import { useEffect, useRef } from "react";

export const UNSAVED_MESSAGE = "This image has unsaved ground-truth changes. Leave and lose them?";

/**
 * While `dirty`, asks before the page goes away: the browser's own prompt on reload or close, and a
 * confirm on in-app links (the App Router has no navigation events, so link clicks are caught on the
 * document before Next.js handles them). Returns `confirmLeave` for navigation started in code.
 */
export function useUnsavedGuard(dirty: boolean): () => boolean {
  const dirtyRef = useRef(dirty);
  useEffect(() => {
    dirtyRef.current = dirty;
  }, [dirty]);

  useEffect(() => {
    const onBeforeUnload = (e: BeforeUnloadEvent) => {
      if (!dirtyRef.current) return;
      e.preventDefault();
      e.returnValue = "";
    };
    const onClick = (e: MouseEvent) => {
      if (!dirtyRef.current || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey) return;
      const a = (e.target as Element | null)?.closest?.("a[href]");
      if (!(a instanceof HTMLAnchorElement) || a.target === "_blank" || a.origin !== window.location.origin) return;
      if (a.pathname === window.location.pathname && a.search === window.location.search) return;
      if (!window.confirm(UNSAVED_MESSAGE)) {
        e.preventDefault();
        e.stopPropagation();
      }
    };
    window.addEventListener("beforeunload", onBeforeUnload);
    document.addEventListener("click", onClick, true);
    return () => {
      window.removeEventListener("beforeunload", onBeforeUnload);
      document.removeEventListener("click", onClick, true);
    };
  }, []);

  return () => !dirtyRef.current || window.confirm(UNSAVED_MESSAGE);
}
