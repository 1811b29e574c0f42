"use client";

import { useMemo } from "react";
import { estimateGpuMemory, formatMemory, type MemoryPartKey } from "@/server/runs/estimate-gpu-memory";
import { estimateInput, type Draft } from "./run-form-draft";
import styles from "./run-form.module.css";

const COLOURS: Record<MemoryPartKey, string> = {
  weights: "#1d4ed8",
  gradients: "#7c3aed",
  optimizer: "#db2777",
  reference: "#0891b2",
  activations: "#f59e0b",
  kvCache: "#16a34a",
  runtime: "#64748b",
};

const params = (n: number) => (n >= 1e9 ? `${(n / 1e9).toFixed(2)} B` : n >= 1e6 ? `${(n / 1e6).toFixed(2)} M` : `${Math.round(n / 1e3)} k`);

/**
 * The memory estimate of the form as it stands, as a stacked bar against one 80 GB GPU (the capacity
 * line), with each part and the verdict. Recomputed on every change; nothing is sent anywhere.
 */
export function GpuEstimate({ draft }: { draft: Draft }) {
  const input = useMemo(() => estimateInput(draft), [draft]);
  const e = useMemo(() => estimateGpuMemory(input), [input]);
  if (!e.known) {
    return (
      <section className={styles.estimate} aria-label="Memory estimate">
        <h2>Memory estimate</h2>
        <p className={styles.cpu}>{e.message}</p>
      </section>
    );
  }
  const cpu = e.verdict === "cpu";
  const span = cpu ? Math.max(e.totalGib, 1e-9) : Math.max(e.totalGib, e.capacityGib);
  return (
    <section className={styles.estimate} aria-label="Memory estimate" data-verdict={e.verdict}>
      <h2>{cpu ? "Memory estimate (host)" : "GPU memory per GPU"}</h2>
      <div className={styles.sub}>
        {e.model}, {params(e.params)} parameters · sequence {e.sequence.image + e.sequence.prompt + e.sequence.completion} tokens
      </div>
      <div className={styles.bar} role="img" aria-label={`${formatMemory(e.totalGib)}${cpu ? "" : ` of ${e.capacityGib} GiB`}`}>
        {e.parts.map((p) => (
          <span key={p.key} title={`${p.label}: ${formatMemory(p.gib)} — ${p.note}`} style={{ width: `${(p.gib / span) * 100}%`, background: COLOURS[p.key] }} />
        ))}
        {cpu ? null : <i className={styles.capacity} style={{ left: `calc(${(e.capacityGib / span) * 100}% - 1px)` }} title={`${e.capacityGib} GB GPU`} />}
      </div>
      <div className={styles.scale}>
        <span>0</span>
        <span>{cpu ? formatMemory(e.totalGib) : `${Math.round(span)} GiB`}</span>
      </div>
      <ul className={styles.legend}>
        {e.parts.map((p) => (
          <li key={p.key} title={p.note}>
            <span className={styles.swatch} style={{ background: COLOURS[p.key] }} />
            <span>{p.label}</span>
            <span className={styles.legendValue}>{formatMemory(p.gib)}</span>
          </li>
        ))}
      </ul>
      <p className={`${styles.verdict} ${styles[e.verdict]}`} data-testid="gpu-verdict">
        {e.message}
      </p>
      {e.warnings.map((w) => (
        <p key={w} className={styles.tight}>
          {w}
        </p>
      ))}
      <p className={styles.assumptions}>
        bf16 weights with fp32 AdamW state and master copy (tiny: fp32), gradient checkpointing, one replica per GPU (DDP). First-order figures: plan with headroom.
      </p>
    </section>
  );
}
