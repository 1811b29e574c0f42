"use client";

import type { GtObject, GtRelation } from "@/server/scene-graph/types";
import { labelOf, type Selection } from "./editor-state";
import styles from "./annotation.module.css";

export interface GraphListsProps {
  objects: readonly GtObject[];
  relationships: readonly GtRelation[];
  selection: Selection;
  classes: ReadonlySet<string>;
  vocabularyName: string;
  /** In relation mode a click picks the subject or the object instead of selecting. */
  relationStep: "subject" | "object" | null;
  relationSubject: string | null;
  onObject: (id: string) => void;
  onRelation: (index: number) => void;
  onRelabel: (id: string) => void;
  onDeleteObject: (id: string) => void;
  onEditPredicate: (index: number) => void;
  onDeleteRelation: (index: number) => void;
}

/** The draft's objects and relations as lists: select, relabel, delete, and pick relation ends. */
export function GraphLists(p: GraphListsProps) {
  const sel = p.selection;
  return (
    <div className={styles.lists}>
      <section aria-label="Objects">
        <h2>
          Objects <span className={styles.muted}>{p.objects.length}</span>
        </h2>
        {p.relationStep ? (
          <p className={styles.stepNote} role="status">
            {p.relationStep === "subject" ? "Pick the subject (here or on the canvas)" : `Subject ${p.relationSubject}: pick the object`}
          </p>
        ) : null}
        <ul className={styles.list}>
          {p.objects.map((o) => {
            const on = sel?.kind === "object" && sel.id === o.id;
            const outside = !p.classes.has(labelOf(o.id));
            return (
              <li key={o.id} data-testid={`object-${o.id}`} aria-current={on || undefined} className={on ? styles.itemOn : undefined}>
                <button type="button" className={styles.itemMain} onClick={() => p.onObject(o.id)}>
                  <code>{o.id}</code>
                  <span className={styles.muted}> [{o.bbox.join(", ")}]</span>
                </button>
                {outside ? (
                  <span className={styles.warnMark} title={`not in the ${p.vocabularyName} vocabulary`} aria-label={`${labelOf(o.id)} is not in the ${p.vocabularyName} vocabulary`}>
                    ⚠
                  </span>
                ) : null}
                <button type="button" className={styles.iconButton} onClick={() => p.onRelabel(o.id)} aria-label={`Relabel ${o.id}`} title="Relabel (l)">
                  ✎
                </button>
                <button type="button" className={styles.iconButton} onClick={() => p.onDeleteObject(o.id)} aria-label={`Delete ${o.id}`} title="Delete (Del)">
                  ✕
                </button>
              </li>
            );
          })}
        </ul>
      </section>
      <section aria-label="Relations">
        <h2>
          Relations <span className={styles.muted}>{p.relationships.length}</span>
        </h2>
        <ul className={styles.list}>
          {p.relationships.map((r, i) => {
            const on = sel?.kind === "relation" && sel.index === i;
            return (
              <li key={`${r.subject}|${r.predicate}|${r.object}`} data-testid={`relation-${i}`} aria-current={on || undefined} className={on ? styles.itemOn : undefined}>
                <button type="button" className={styles.itemMain} onClick={() => p.onRelation(i)}>
                  <code>{r.subject}</code> <em>{r.predicate}</em> <code>{r.object}</code>
                </button>
                <button type="button" className={styles.iconButton} onClick={() => p.onEditPredicate(i)} aria-label={`Change the predicate of ${r.subject} ${r.predicate} ${r.object}`} title="Change predicate">
                  ✎
                </button>
                <button type="button" className={styles.iconButton} onClick={() => p.onDeleteRelation(i)} aria-label={`Delete ${r.subject} ${r.predicate} ${r.object}`} title="Delete (Del)">
                  ✕
                </button>
              </li>
            );
          })}
        </ul>
      </section>
    </div>
  );
}
