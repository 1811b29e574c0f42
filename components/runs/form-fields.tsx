"use client";

import { createContext, useContext, type ReactNode } from "react";
import type { Draft, FieldErrors } from "./run-form-draft";
import styles from "./run-form.module.css";

interface FormCtx {
  draft: Draft;
  errors: FieldErrors;
  set: (name: string, value: string | boolean) => void;
}

export const FormContext = createContext<FormCtx | null>(null);

function useField(name: string) {
  const ctx = useContext(FormContext);
  if (!ctx) throw new Error("form fields need a FormContext");
  return { value: ctx.draft[name], error: ctx.errors[name], set: (v: string | boolean) => ctx.set(name, v) };
}

/** The id of a field's input, so error summaries can link to it. */
export const fieldId = (name: string) => `f-${name.replace(/[^A-Za-z0-9_-]/g, "-")}`;

interface BaseProps {
  name: string;
  label: string;
  hint?: ReactNode;
}

function Shell({ name, label, hint, error, children }: BaseProps & { error?: string; children: ReactNode }) {
  const id = fieldId(name);
  return (
    <div className={error ? `${styles.field} ${styles.fieldInvalid}` : styles.field} data-field={name}>
      <label htmlFor={id}>{label}</label>
      {children}
      {hint ? <span className={styles.hint}>{hint}</span> : null}
      {error ? (
        <span className={styles.fieldError} id={`${id}-error`} role="alert">
          {error}
        </span>
      ) : null}
    </div>
  );
}

/** A text or number input bound to `draft[name]`; numbers stay text until the schema reads them. */
export function InputField({ name, label, hint, placeholder, numeric, list }: BaseProps & { placeholder?: string; numeric?: boolean; list?: string }) {
  const f = useField(name);
  const id = fieldId(name);
  return (
    <Shell name={name} label={label} hint={hint} error={f.error}>
      <input
        id={id}
        name={name}
        type="text"
        inputMode={numeric ? "decimal" : undefined}
        autoComplete="off"
        list={list}
        value={typeof f.value === "string" ? f.value : ""}
        placeholder={placeholder}
        aria-invalid={f.error ? true : undefined}
        aria-describedby={f.error ? `${id}-error` : undefined}
        onChange={(e) => f.set(e.target.value)}
      />
    </Shell>
  );
}

export interface Choice {
  value: string;
  label: string;
  group?: string;
}

/** A select bound to `draft[name]`; choices with a `group` are shown under it. */
export function SelectField({ name, label, hint, choices }: BaseProps & { choices: readonly Choice[] }) {
  const f = useField(name);
  const id = fieldId(name);
  const groups = [...new Set(choices.map((c) => c.group ?? ""))];
  const option = (c: Choice) => (
    <option key={c.value} value={c.value}>
      {c.label}
    </option>
  );
  return (
    <Shell name={name} label={label} hint={hint} error={f.error}>
      <select id={id} name={name} value={typeof f.value === "string" ? f.value : ""} aria-invalid={f.error ? true : undefined} onChange={(e) => f.set(e.target.value)}>
        {groups.map((g) =>
          g ? (
            <optgroup key={g} label={g}>
              {choices.filter((c) => c.group === g).map(option)}
            </optgroup>
          ) : (
            choices.filter((c) => !c.group).map(option)
          ),
        )}
      </select>
    </Shell>
  );
}

/** A checkbox bound to a boolean `draft[name]`. */
export function CheckboxField({ name, label, hint }: BaseProps) {
  const f = useField(name);
  const id = fieldId(name);
  return (
    <div className={`${styles.field} ${styles.check}`} data-field={name}>
      <label htmlFor={id}>
        <input id={id} name={name} type="checkbox" checked={f.value === true} onChange={(e) => f.set(e.target.checked)} /> {label}
      </label>
      {hint ? <span className={styles.hint}>{hint}</span> : null}
      {f.error ? <span className={styles.fieldError}>{f.error}</span> : null}
    </div>
  );
}

/** A titled group of fields. */
export function Section({ title, note, children }: { title: string; note?: ReactNode; children: ReactNode }) {
  return (
    <fieldset className={styles.section}>
      <legend>{title}</legend>
      {note ? <p className={styles.sectionNote}>{note}</p> : null}
      <div className={styles.grid}>{children}</div>
    </fieldset>
  );
}
