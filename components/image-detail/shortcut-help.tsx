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

/** The keyboard shortcut list, as a modal dialog. */
export function ShortcutHelp({ onClose }: { onClose: () => void }) {
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
          {SHORTCUTS.map(([k, v]) => (
            <tr key={k}>
              <td>
                <kbd>{k}</kbd>
              </td>
              <td>{v}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>Hover a box, a triplet or a graph edge to light up everything linked to it; click to pin.</p>
      <button type="button" onClick={onClose} autoFocus>
        Close
      </button>
    </dialog>
  );
}
