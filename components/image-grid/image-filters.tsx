"use client";

import { useEffect, useRef, useState } from "react";
import { FAILURE_FILTERS, FAILURE_LABEL, type BrowseFilters, type FailureFilter, type Sort } from "./browse-filters";
import styles from "./image-grid.module.css";

export interface Option {
  id: number;
  name: string;
}

/** A prediction set, or one of its evaluations, to see the grid through. */
export interface Lens {
  setId: number;
  evalId?: number;
  label: string;
}

export interface ImageFiltersProps {
  filters: BrowseFilters;
  /** Called with the fields that changed; the caller merges them into the newest state. */
  onChange: (patch: Partial<BrowseFilters>) => void;
  classes: readonly Option[];
  predicates: readonly Option[];
  lenses: readonly Lens[];
  /** Shown at the end of the first row: the result count and actions. */
  status?: React.ReactNode;
}

const optNum = (v: string) => (v === "" ? undefined : Number(v));

/** The filter bar; every control writes straight to the URL through `onChange`. */
export function ImageFilters({ filters: f, onChange, classes, predicates, lenses, status }: ImageFiltersProps) {
  const hasSet = f.setId !== undefined;
  const hasEval = f.evalId !== undefined;
  const lensValue = hasSet ? `${f.setId}:${f.evalId ?? ""}` : "";
  const set = onChange;

  const setLens = (value: string) => {
    const [s, e] = value.split(":");
    const setId = optNum(s ?? "");
    const evalId = setId === undefined ? undefined : optNum(e ?? "");
    // Filters of the old lens do not carry over to another set or evaluation.
    onChange({ setId, evalId, failure: undefined, prediction: undefined, recallMin: undefined, recallMax: undefined, ...(evalId === undefined ? { sort: "id" } : {}) });
  };

  return (
    <form className={styles.filters} role="search" aria-label="Filter images" onSubmit={(e) => e.preventDefault()}>
      <div className={styles.lensRow}>
        <Field label="Seen through">
          <select value={lensValue} onChange={(e) => setLens(e.target.value)}>
            <option value="">Ground truth only</option>
            {lenses.map((l) => (
              <option key={`${l.setId}:${l.evalId ?? ""}`} value={`${l.setId}:${l.evalId ?? ""}`}>
                {l.label}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Sort">
          <select value={f.sort} onChange={(e) => set({ sort: e.target.value as Sort })}>
            <option value="id">Image id</option>
            <option value="recall_asc" disabled={!hasEval}>
              Worst recall first
            </option>
            <option value="recall_desc" disabled={!hasEval}>
              Best recall first
            </option>
          </select>
        </Field>
        {status}
      </div>
      <div className={styles.filterRow}>
        <Field label="Object class">
          <select value={f.classId ?? ""} onChange={(e) => set({ classId: optNum(e.target.value) })}>
            <option value="">Any class</option>
            {classes.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Predicate">
          <select value={f.predicateId ?? ""} onChange={(e) => set({ predicateId: optNum(e.target.value) })}>
            <option value="">Any predicate</option>
            {predicates.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Answer" hint={hasSet ? undefined : "choose a prediction set"}>
          <select
            value={f.prediction ?? ""}
            disabled={!hasSet}
            onChange={(e) => set({ prediction: e.target.value === "" ? undefined : (e.target.value as "has" | "lacks") })}
          >
            <option value="">Any</option>
            <option value="has">Has an answer</option>
            <option value="lacks">Lacks an answer</option>
          </select>
        </Field>
        <Field label="Failure reason" hint={hasSet ? undefined : "choose a prediction set"}>
          <select value={f.failure ?? ""} disabled={!hasSet} onChange={(e) => set({ failure: e.target.value === "" ? undefined : (e.target.value as FailureFilter) })}>
            <option value="">Any outcome</option>
            {FAILURE_FILTERS.map((k) => (
              <option key={k} value={k}>
                {FAILURE_LABEL[k]}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Recall (ngR %)" hint={hasEval ? undefined : "choose an evaluation"}>
          <span className={styles.range}>
            <PercentInput label="Minimum recall" value={f.recallMin} disabled={!hasEval} onCommit={(v) => set({ recallMin: v })} />
            <span aria-hidden>–</span>
            <PercentInput label="Maximum recall" value={f.recallMax} disabled={!hasEval} onCommit={(v) => set({ recallMax: v })} />
          </span>
        </Field>
      </div>
    </form>
  );
}

function Field({ label, hint, children }: { label: string; hint?: string; children: React.ReactNode }) {
  return (
    <label className={styles.field} title={hint}>
      <span className={styles.fieldLabel}>{label}</span>
      {children}
    </label>
  );
}

/** A 0–100 box that writes on blur or Enter, or after a pause in typing, not on every keystroke. */
function PercentInput({ label, value, disabled, onCommit }: { label: string; value?: number; disabled: boolean; onCommit: (v: number | undefined) => void }) {
  const [text, setText] = useState(value === undefined ? "" : String(value));
  const [prev, setPrev] = useState(value);
  if (prev !== value) {
    // The URL changed underneath (clear, lens change, back button): show it.
    setPrev(value);
    setText(value === undefined ? "" : String(value));
  }
  const parsed = text.trim() === "" ? undefined : Math.min(100, Math.max(0, Number(text)));
  const valid = parsed === undefined || Number.isFinite(parsed);
  // The latest callback, so that a parent re-render does not restart the pause.
  const commit = useRef(onCommit);
  useEffect(() => {
    commit.current = onCommit;
  });
  useEffect(() => {
    if (!valid || parsed === value) return;
    const t = setTimeout(() => commit.current(parsed), 500);
    return () => clearTimeout(t);
  }, [parsed, valid, value]);
  return (
    <input
      type="number"
      inputMode="decimal"
      min={0}
      max={100}
      step={5}
      aria-label={label}
      placeholder={label.startsWith("Min") ? "0" : "100"}
      value={text}
      disabled={disabled}
      aria-invalid={!valid}
      onChange={(e) => setText(e.target.value)}
      onKeyDown={(e) => e.key === "Enter" && valid && parsed !== value && onCommit(parsed)}
    />
  );
}
