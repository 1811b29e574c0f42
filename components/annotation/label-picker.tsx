"use client";

import { useEffect, useId, useMemo, useRef, useState } from "react";
import styles from "./annotation.module.css";

const SHOWN = 12;

/** Vocabulary entries for a typed prefix: whole-prefix matches first, then word starts, then anywhere. */
export function rankOptions(options: readonly string[], typed: string): string[] {
  const q = typed.trim().toLowerCase();
  if (!q) return options.slice(0, SHOWN);
  const score = (o: string) => {
    const s = o.toLowerCase();
    if (s === q) return 0;
    if (s.startsWith(q)) return 1;
    if (s.split(/[\s_-]+/).some((w) => w.startsWith(q))) return 2;
    return s.includes(q) ? 3 : 9;
  };
  return options
    .map((o) => ({ o, s: score(o) }))
    .filter((x) => x.s < 9)
    .sort((a, b) => a.s - b.s || a.o.length - b.o.length || a.o.localeCompare(b.o))
    .slice(0, SHOWN)
    .map((x) => x.o);
}

export interface LabelPickerProps {
  title: string;
  options: readonly string[];
  vocabularyName: string;
  initial?: string;
  /** Whether a value outside the vocabulary may be chosen (with a warning). */
  allowOutside: boolean;
  onPick: (value: string) => void;
  onCancel: () => void;
}

/** A type-ahead picker over a vocabulary: arrows move, Enter picks, Escape cancels. */
export function LabelPicker({ title, options, vocabularyName, initial, allowOutside, onPick, onCancel }: LabelPickerProps) {
  const [typed, setTyped] = useState(initial ?? "");
  const [active, setActive] = useState(0);
  const input = useRef<HTMLInputElement>(null);
  const listId = useId();
  const shown = useMemo(() => rankOptions(options, typed), [options, typed]);
  const value = typed.trim();
  const outside = value !== "" && !options.includes(value);

  useEffect(() => {
    input.current?.focus();
    input.current?.select();
  }, []);

  const choose = (v: string) => {
    if (!v.trim()) return;
    if (!options.includes(v) && !allowOutside) return;
    onPick(v.trim());
  };

  return (
    <div className={styles.picker} role="dialog" aria-label={title}>
      <label className={styles.pickerTitle} htmlFor={`${listId}-input`}>
        {title}
      </label>
      <input
        id={`${listId}-input`}
        ref={input}
        role="combobox"
        aria-expanded
        aria-controls={listId}
        aria-autocomplete="list"
        autoComplete="off"
        value={typed}
        onChange={(e) => {
          setTyped(e.target.value);
          setActive(0);
        }}
        onKeyDown={(e) => {
          if (e.key === "ArrowDown") setActive((a) => Math.min(a + 1, shown.length - 1));
          else if (e.key === "ArrowUp") setActive((a) => Math.max(a - 1, 0));
          // Enter takes the highlighted suggestion; with none, what was typed.
          else if (e.key === "Enter") choose(shown[active] ?? value);
          else if (e.key === "Tab" && shown[active]) setTyped(shown[active]!);
          else if (e.key === "Escape") onCancel();
          else return;
          e.preventDefault();
          e.stopPropagation();
        }}
      />
      <ul id={listId} role="listbox" className={styles.pickerList}>
        {shown.map((o, i) => (
          <li key={o} role="option" aria-selected={i === active} onMouseDown={(e) => e.preventDefault()} onClick={() => choose(o)} onMouseEnter={() => setActive(i)}>
            {o}
          </li>
        ))}
      </ul>
      {outside ? (
        allowOutside ? (
          <p className={styles.warning} role="alert">
            “{value}” is not in the {vocabularyName} vocabulary. It can be saved, but evaluations will not match it.{" "}
            <button type="button" onClick={() => onPick(value)}>
              Use “{value}” anyway
            </button>
          </p>
        ) : (
          <p className={styles.warning} role="alert">
            “{value}” is not in the {vocabularyName} vocabulary: pick one of the list.
          </p>
        )
      ) : null}
      <button type="button" className={styles.linkButton} onClick={onCancel}>
        Cancel (Esc)
      </button>
    </div>
  );
}
