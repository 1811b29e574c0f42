"use client";

import { useEffect, useRef } from "react";

export interface EditorKeyHandlers {
  draw: () => void;
  label: () => void;
  relation: () => void;
  remove: () => void;
  undo: () => void;
  redo: () => void;
  save: () => void;
  next: () => void;
  previous: () => void;
  escape: () => void;
  help: () => void;
}

/**
 * The editor's keyboard: b draw, l label, r relation, Delete, Ctrl+Z / Ctrl+Shift+Z (or Ctrl+Y),
 * Ctrl+S save, n / p next / previous image, Esc, ?. Typing in a field is left alone except for Ctrl+S.
 */
export function useEditorKeys(handlers: EditorKeyHandlers) {
  const ref = useRef(handlers);
  useEffect(() => {
    ref.current = handlers;
  });
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const h = ref.current;
      const t = e.target as HTMLElement | null;
      const typing = !!t && (t.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(t.tagName));
      const mod = e.ctrlKey || e.metaKey;
      const key = e.key.toLowerCase();
      if (mod && key === "s") h.save();
      else if (typing || e.altKey) return;
      else if (mod && key === "z") (e.shiftKey ? h.redo : h.undo)();
      else if (mod && key === "y") h.redo();
      else if (mod) return;
      else if (key === "b") h.draw();
      else if (key === "l") h.label();
      else if (key === "r") h.relation();
      else if (key === "delete" || key === "backspace") h.remove();
      else if (key === "n") h.next();
      else if (key === "p") h.previous();
      else if (key === "escape") h.escape();
      else if (key === "?") h.help();
      else return;
      e.preventDefault();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);
}
