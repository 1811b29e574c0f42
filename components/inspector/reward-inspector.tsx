"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { queryKeys } from "@/components/query-keys";
import type { InspectionResult, InspectorImage } from "./inspector-types";
import { MatchOverlay } from "./match-overlay";
import { RewardTable } from "./reward-table";
import styles from "./inspector.module.css";

const COMPAT = ["r1sgg-head", "coco-id0", "psg-object-vocab"] as const;

function template(img: InspectorImage): string {
  const first = img.gtSummary.objects[0] ?? "person.1";
  return `<think>Describe what you see.</think>\n<answer>{"objects": [{"id": "${first}", "bbox": [100, 100, 500, 900]}], "relationships": []}</answer>`;
}

/** Edit a model output and watch the parse, the node matching and every reward follow (debounced). */
export function RewardInspector({ image }: { image: InspectorImage }) {
  const [text, setText] = useState(() => image.stored?.response ?? template(image));
  const [debounced, setDebounced] = useState(text);
  const [scale, setScale] = useState<[number, number]>(image.stored?.boxScale ?? [1000, 1000]);
  const [strictFormat, setStrictFormat] = useState(true);
  const [compat, setCompat] = useState<string[]>([]);

  useEffect(() => {
    const t = setTimeout(() => setDebounced(text), 300);
    return () => clearTimeout(t);
  }, [text]);

  const settings = { boxScale: scale, strictFormat, compat };
  const q = useQuery({
    queryKey: [...queryKeys.rewards.score(image.id, debounced), settings],
    queryFn: async (): Promise<InspectionResult> => {
      const r = await fetch("/api/rewards", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ imageId: image.id, completion: debounced, ...settings }) });
      if (!r.ok) throw new Error(((await r.json().catch(() => ({}))) as { error?: string }).error ?? `HTTP ${r.status}`);
      return r.json() as Promise<InspectionResult>;
    },
    placeholderData: keepPreviousData,
  });
  const stale = q.isPlaceholderData || text !== debounced;
  const parse = q.data?.parse;

  return (
    <div className={styles.layout}>
      <section className={styles.editor} aria-label="Model output">
        <div className={styles.editorHead}>
          <label htmlFor="completion">Model output</label>
          <span className={styles.muted}>{image.stored ? `stored answer of ${image.stored.predictionSet}` : "template"}</span>
          <button type="button" className={styles.linkButton} onClick={() => setText(image.stored?.response ?? template(image))}>
            Reset
          </button>
        </div>
        <textarea id="completion" className={styles.textarea} value={text} onChange={(e) => setText(e.target.value)} spellCheck={false} rows={18} />
        <div className={styles.options}>
          <label>
            Box scale
            <input type="number" min={1} value={scale[0]} onChange={(e) => setScale([Number(e.target.value) || 1, scale[1]])} aria-label="Box scale x" />×
            <input type="number" min={1} value={scale[1]} onChange={(e) => setScale([scale[0], Number(e.target.value) || 1])} aria-label="Box scale y" />
          </label>
          <label>
            <input type="checkbox" checked={strictFormat} onChange={(e) => setStrictFormat(e.target.checked)} /> strict format
          </label>
          {COMPAT.map((f) => (
            <label key={f}>
              <input type="checkbox" checked={compat.includes(f)} onChange={(e) => setCompat(e.target.checked ? [...compat, f] : compat.filter((x) => x !== f))} /> {f}
            </label>
          ))}
        </div>
        <div className={parse ? (parse.ok ? styles.parseOk : styles.parseFail) : styles.parsePending} role="status" data-testid="parse-status">
          {!parse ? (
            "Scoring…"
          ) : parse.ok ? (
            <>
              <strong>Parses</strong>: {parse.objects} objects, {parse.relationships} relationships
              {parse.warnings.length ? (
                <ul>
                  {parse.warnings.map((w, i) => (
                    <li key={i}>
                      {w.path ? <code>{w.path}</code> : null} {w.message}
                    </li>
                  ))}
                </ul>
              ) : null}
            </>
          ) : (
            <>
              <strong>Fails: {parse.kind.replace(/_/g, " ")}</strong> — {parse.message}
              {parse.path ? (
                <>
                  {" "}
                  at <code>{parse.path}</code>
                </>
              ) : null}
              {parse.line !== undefined ? ` (answer line ${parse.line}, column ${parse.column})` : null}
            </>
          )}
        </div>
        {q.isError ? <p className={styles.error}>{q.error.message}</p> : null}
      </section>

      <section className={styles.side} aria-label="Matching and rewards">
        <div className={styles.frame} style={{ aspectRatio: `${image.width} / ${image.height}` }}>
          {image.storageKey ? (
            // eslint-disable-next-line @next/next/no-img-element -- served as stored, drawn over by the SVG
            <img src={`/api/image-files/${image.storageKey}`} alt={`Image ${image.imageKey}`} />
          ) : null}
          <MatchOverlay width={image.width} height={image.height} result={q.data} />
        </div>
        <p className={styles.legend}>
          <span className={styles.keyGt} /> ground truth <span className={styles.keyPred} /> predicted <span className={styles.keyLine} /> Hungarian pair (cost)
          {q.data?.matchError ? <span className={styles.why}> · no matching: {q.data.matchError}</span> : null}
        </p>
        {q.data ? <RewardTable result={q.data} stale={stale} /> : null}
      </section>
    </div>
  );
}
