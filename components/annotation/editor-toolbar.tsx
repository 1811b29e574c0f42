"use client";

import type { CanvasMode } from "@/components/canvas/annotation-canvas-client";
import type { ImagePrediction } from "@/server/queries/get-image";
import styles from "./annotation.module.css";

export interface EditorToolbarProps {
  mode: CanvasMode;
  dirty: boolean;
  saving: boolean;
  revision: number;
  canUndo: boolean;
  canRedo: boolean;
  hasSelection: boolean;
  predictions: readonly ImagePrediction[];
  history: boolean;
  onDraw: () => void;
  onLabel: () => void;
  onRelation: () => void;
  onDelete: () => void;
  onUndo: () => void;
  onRedo: () => void;
  onSave: () => void;
  onStartFrom: (p: ImagePrediction) => void;
  onRenumber: () => void;
  onHistory: () => void;
  onExit: () => void;
  onHelp: () => void;
}

/** The editor's tools, each with its key. */
export function EditorToolbar(p: EditorToolbarProps) {
  return (
    <div className={styles.toolbar} role="toolbar" aria-label="Ground-truth editing">
      <div className={styles.group}>
        <Tool label="Draw box" hotkey="b" pressed={p.mode === "draw"} onClick={p.onDraw} />
        <Tool label="Label" hotkey="l" onClick={p.onLabel} disabled={!p.hasSelection} />
        <Tool label="Relation" hotkey="r" pressed={p.mode === "relation"} onClick={p.onRelation} />
        <Tool label="Delete" hotkey="Del" onClick={p.onDelete} disabled={!p.hasSelection} />
      </div>
      <div className={styles.group}>
        <Tool label="Undo" hotkey="Ctrl+Z" onClick={p.onUndo} disabled={!p.canUndo} />
        <Tool label="Redo" hotkey="Ctrl+Shift+Z" onClick={p.onRedo} disabled={!p.canRedo} />
        <button type="button" className={styles.primary} onClick={p.onSave} disabled={p.saving} title="Save (Ctrl+S)">
          {p.saving ? "Saving…" : "Save"} <kbd>Ctrl+S</kbd>
        </button>
        <span className={styles.state} data-testid="editor-state">
          {p.dirty ? "unsaved changes" : "saved"} · revision {p.revision}
        </span>
      </div>
      <div className={styles.group}>
        {p.predictions.length ? (
          <select
            aria-label="Start from a prediction"
            value=""
            onChange={(e) => {
              const chosen = p.predictions.find((x) => String(x.predictionSetId) === e.target.value);
              if (chosen) p.onStartFrom(chosen);
            }}
          >
            <option value="">Start from a prediction…</option>
            {p.predictions.map((x) => (
              <option key={x.predictionSetId} value={x.predictionSetId} disabled={x.gathered.failed}>
                {x.predictionSetName} ({x.gathered.objects.length} objects, {x.gathered.relations.length} relations)
              </option>
            ))}
          </select>
        ) : null}
        <button type="button" onClick={p.onRenumber} title="Number each class 1, 2, … in list order">
          Renumber ids
        </button>
        <button type="button" aria-pressed={p.history} onClick={p.onHistory}>
          History
        </button>
        <button type="button" onClick={p.onHelp} aria-label="Keyboard shortcuts">
          ?
        </button>
        <button type="button" onClick={p.onExit}>
          Done editing
        </button>
      </div>
    </div>
  );
}

function Tool({ label, hotkey, pressed, disabled, onClick }: { label: string; hotkey: string; pressed?: boolean; disabled?: boolean; onClick: () => void }) {
  return (
    <button type="button" aria-pressed={pressed} disabled={disabled} onClick={onClick} title={`${label} (${hotkey})`}>
      {label} <kbd>{hotkey}</kbd>
    </button>
  );
}
