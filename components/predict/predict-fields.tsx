"use client";

import type { ReactNode } from "react";
import styles from "./predict.module.css";

export const fieldId = (name: string) => `predict-${name}`;

interface FieldProps {
  name: string;
  label: string;
  value: string;
  error?: string;
  hint?: ReactNode;
  wide?: boolean;
  onChange: (value: string) => void;
}

function Shell({ name, label, error, hint, wide, children }: Omit<FieldProps, "value" | "onChange"> & { children: ReactNode }) {
  const cls = [styles.field, error ? styles.invalid : "", wide ? styles.wide : ""].filter(Boolean).join(" ");
  return (
    <div className={cls} data-field={name}>
      <label htmlFor={fieldId(name)}>{label}</label>
      {children}
      {hint ? <span className={styles.hint}>{hint}</span> : null}
      {error ? (
        <span className={styles.error} id={`${fieldId(name)}-error`} role="alert">
          {error}
        </span>
      ) : null}
    </div>
  );
}

/** A text input; numbers stay text until the schema reads them. */
export function TextField(p: FieldProps & { placeholder?: string; numeric?: boolean; list?: string }) {
  return (
    <Shell {...p}>
      <input
        id={fieldId(p.name)}
        name={p.name}
        type="text"
        autoComplete="off"
        inputMode={p.numeric ? "decimal" : undefined}
        list={p.list}
        placeholder={p.placeholder}
        value={p.value}
        aria-invalid={p.error ? true : undefined}
        aria-describedby={p.error ? `${fieldId(p.name)}-error` : undefined}
        onChange={(e) => p.onChange(e.target.value)}
      />
    </Shell>
  );
}

export function SelectField(p: FieldProps & { choices: readonly { value: string; label: string }[] }) {
  return (
    <Shell {...p}>
      <select
        id={fieldId(p.name)}
        name={p.name}
        value={p.value}
        aria-invalid={p.error ? true : undefined}
        aria-describedby={p.error ? `${fieldId(p.name)}-error` : undefined}
        onChange={(e) => p.onChange(e.target.value)}
      >
        {p.choices.map((c) => (
          <option key={c.value} value={c.value}>
            {c.label}
          </option>
        ))}
      </select>
    </Shell>
  );
}
