"use client";

import { useEffect, useMemo, useRef } from "react";
import type { ImagePrediction } from "@/server/queries/get-image";
import { answerOffsetToRaw } from "@/server/scene-graph/parse-graph";
import styles from "./image-detail.module.css";
import { PARSE_FAILURE_LABEL } from "@/components/parse-failure-labels";

const KIND_TEXT: Record<string, string> = PARSE_FAILURE_LABEL;

/**
 * The model's answer as plain text (React escapes it; never HTML). A parse failure is located in it: the
 * character where the JSON broke is marked, or an end marker when the answer stops short.
 */
export function RawOutput({ prediction }: { prediction: ImagePrediction }) {
  const { response } = prediction;
  const failure = prediction.gathered.failure;
  const at = useMemo(() => (failure?.json ? answerOffsetToRaw(response, failure.json.offset) : null), [response, failure]);
  const markRef = useRef<HTMLElement>(null);
  const preRef = useRef<HTMLPreElement>(null);

  // Bring the failure into view inside the panel (not the page).
  useEffect(() => {
    const pre = preRef.current;
    const mark = markRef.current;
    if (!pre || !mark) return;
    pre.scrollTop = Math.max(0, mark.offsetTop - pre.clientHeight / 2);
  }, [at]);

  const atEnd = at !== null && at >= response.length;
  return (
    <section className={styles.panel} aria-label="Raw model output">
      <header className={styles.tableHead}>
        <h2>Raw output</h2>
        <span className={styles.muted}>
          {response.length.toLocaleString()} characters · box scale {prediction.boxScale.join("×")}
        </span>
      </header>
      {failure ? (
        <div className={styles.failure} role="alert" data-testid="parse-failure">
          <span className={styles.failKind}>{KIND_TEXT[failure.kind] ?? failure.kind}</span>
          <span>{failure.message}</span>
          {failure.json ? (
            <span className={styles.muted}>
              answer line {failure.json.line}, column {failure.json.column}
              {at !== null ? ` · character ${at.toLocaleString()} of the output${atEnd ? " (the end)" : ""}` : ""}
            </span>
          ) : null}
          {failure.path ? <code>{failure.path}</code> : null}
        </div>
      ) : prediction.gathered.warnings.length ? (
        <ul className={styles.warnings}>
          {prediction.gathered.warnings.map((w, i) => (
            <li key={i}>
              <strong>{w.kind.replace(/_/g, " ")}</strong> {w.message}
              {w.path ? <code> {w.path}</code> : null}
            </li>
          ))}
        </ul>
      ) : null}
      <pre ref={preRef} className={styles.raw} data-testid="raw-output">
        {at === null ? (
          response
        ) : (
          <>
            {response.slice(0, at)}
            <mark ref={markRef} className={styles.errorMark} data-testid="failure-mark" title={failure?.message}>
              {atEnd ? "⟂ answer ends here" : response[at] === "\n" ? "↵\n" : response[at]}
            </mark>
            {atEnd ? null : response.slice(at + 1)}
          </>
        )}
      </pre>
    </section>
  );
}
