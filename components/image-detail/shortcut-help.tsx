"use client";

import { useEffect, useRef } from "react";
import styles from "./image-detail.module.css";

const SHORTCUTS: [string, string][] = [
  ["←  →", "Previous / next image in the split (keeps the prediction sets)"],
  ["g", "Show or hide ground-truth boxes"],
  ["p", "Show or hide predicted boxes"],
  ["a", "Show or hide relation arrows"],
  ["1 – 9", "Switch prediction set"],
  ["Esc", "Unpin the selection, close this list"],
  ["?", "Show or hide this list"],
];

const EDIT_SHORTCUTS: [string, string][] = [
  ["b", "Draw a box: drag on the picture, then pick its label"],
  ["l", "Label (relabel) the selected box"],
  ["r", "New relation: pick the subject, then the object (canvas or list), then the predicate"],
  ["Del", "Delete the selected box (with its relations) or relation"],
  ["Ctrl+Z", "Undo"],
  ["Ctrl+Shift+Z", "Redo (also Ctrl+Y)"],
  ["Ctrl+S", "Save the ground truth as a new revision"],
  ["n  p", "Next / previous image in the split, still editing"],
  ["Esc", "Cancel drawing, picking or the selection"],
  ["?", "Show or hide this list"],
];

/** The keyboard shortcut list, as a modal dialog; `editing` lists the ground-truth editor's keys. */
export function ShortcutHelp({ onClose, editing = false }: { onClose: () => void; editing?: boolean }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
  }, []);
  return (
    <dialog ref={ref} className={styles.dialog} aria-label="Keyboard shortcuts" onClose={onClose} onClick={(e) => e.target === ref.current && onClose()}>
      <h2>Keyboard shortcuts</h2>
      <table>
        <tbody>
          {(editing ? EDIT_SHORTCUTS : SHORTCUTS).map(([k, v]) => (
            <tr key={k}>
              <td>
                <kbd>{k}</kbd>
              </td>
              <td>{v}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {editing ? (
        <p>Click a box to select it, drag it to move it, drag its handles to resize it; click an arrow to select a relation.</p>
      ) : (
        <p>Hover a box, a triplet or a graph edge to light up everything linked to it; click to pin. Edit ground truth to draw and fix boxes and relations.</p>
      )}
      <button type="button" onClick={onClose} autoFocus>
        Close
      </button>
    </dialog>
  );
}
