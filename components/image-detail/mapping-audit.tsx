"use client";

import { useMemo } from "react";
import type { ImagePrediction } from "@/server/queries/get-image";
import { parseSceneGraph } from "@/server/scene-graph/parse-graph";
import { MAPPED_BY_TEXT } from "./view-model";
import styles from "./image-detail.module.css";

/** How the gather step read the answer: labels and predicates it mapped, and what it dropped and why. */
export function MappingAudit({ prediction }: { prediction: ImagePrediction }) {
  const g = prediction.gathered;
  // The answer as written, to show each mapped predicate next to what the model said.
  const written = useMemo(() => {
    const r = parseSceneGraph(prediction.response);
    return r.ok ? r.graph.relationships : [];
  }, [prediction.response]);
  const mappedObjects = g.objects.filter((o) => o.mappedBy !== "vocabulary");
  const mappedRelations = g.relations.filter((r) => r.mappedBy !== "vocabulary");
  const clean = !mappedObjects.length && !mappedRelations.length && !g.droppedObjects.length && !g.droppedRelations.length;
  return (
    <section className={styles.panel} aria-label="Mapping audit" data-testid="mapping-audit">
      <header className={styles.tableHead}>
        <h2>Mapping audit</h2>
        <span className={styles.muted}>
          {g.objects.length} objects kept · {g.droppedObjects.length} dropped · {g.relations.length} relations kept · {g.droppedRelations.length} dropped
        </span>
      </header>
      {g.failed ? <p className={styles.muted}>Nothing to map: the answer failed to parse.</p> : clean ? <p className={styles.muted}>Every label and predicate was already in the vocabulary; nothing was dropped.</p> : null}
      <dl className={styles.audit}>
        {mappedObjects.length ? (
          <>
            <dt>Labels mapped</dt>
            <dd>
              <ul>
                {mappedObjects.map((o) => (
                  <li key={o.answerIndex}>
                    <code>{o.name}</code> → <strong>{o.category}</strong> <span className={styles.tag}>{MAPPED_BY_TEXT[o.mappedBy] ?? o.mappedBy}</span>
                  </li>
                ))}
              </ul>
            </dd>
          </>
        ) : null}
        {mappedRelations.length ? (
          <>
            <dt>Predicates mapped</dt>
            <dd>
              <ul>
                {mappedRelations.map((r) => (
                  <li key={r.answerIndex}>
                    <code>{written[r.answerIndex]?.predicate ?? `relation ${r.answerIndex + 1}`}</code> → <strong>{r.predicate}</strong> <span className={styles.tag}>{MAPPED_BY_TEXT[r.mappedBy] ?? r.mappedBy}</span>
                    {r.swapped ? <span className={styles.tag}>subject and object swapped</span> : null}
                  </li>
                ))}
              </ul>
            </dd>
          </>
        ) : null}
        {g.droppedObjects.length ? (
          <>
            <dt>Objects dropped</dt>
            <dd>
              <ul>
                {g.droppedObjects.map((o) => (
                  <li key={o.answerIndex}>
                    <code>{o.name}</code> <span className={styles.dropReason}>{o.reason}</span>
                  </li>
                ))}
              </ul>
            </dd>
          </>
        ) : null}
        {g.droppedRelations.length ? (
          <>
            <dt>Relations dropped</dt>
            <dd>
              <ul>
                {g.droppedRelations.map((r) => (
                  <li key={r.answerIndex}>
                    <code>{r.name}</code> <span className={styles.dropReason}>{r.reason}</span>
                  </li>
                ))}
              </ul>
            </dd>
          </>
        ) : null}
      </dl>
    </section>
  );
}
