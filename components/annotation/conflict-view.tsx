"use client";

import { useEffect, useRef } from "react";
import type { GtGraph } from "@/server/scene-graph/types";
import type { ConflictInfo } from "./annotation-api";
import styles from "./annotation.module.css";

const tripletText = (r: GtGraph["relationships"][number]) => `${r.subject} ${r.predicate} ${r.object}`;
const objectText = (o: GtGraph["objects"][number]) => `${o.id} [${o.bbox.join(", ")}]`;

/** Lines of `a` that `b` lacks. */
function only(a: readonly string[], b: readonly string[]): string[] {
  const other = new Set(b);
  return a.filter((x) => !other.has(x));
}

export interface ConflictViewProps {
  conflict: ConflictInfo;
  mine: GtGraph;
  saving: boolean;
  onReloadTheirs: () => void;
  onOverwrite: () => void;
  onClose: () => void;
}

/**
 * A save refused because someone saved this image first: their revision next to the draft, with what
 * each has that the other lacks, and the two ways on: take theirs, or save mine on top of theirs.
 */
export function ConflictView({ conflict, mine, saving, onReloadTheirs, onOverwrite, onClose }: ConflictViewProps) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
  }, []);
  const theirsObj = conflict.objects.map(objectText);
  const mineObj = mine.objects.map(objectText);
  const theirsRel = conflict.relationships.map(tripletText);
  const mineRel = mine.relationships.map(tripletText);
  const when = new Date(conflict.createdAt).toLocaleString();
  return (
    <dialog ref={ref} className={styles.conflict} aria-label="Save conflict" onClose={onClose}>
      <h2>Someone saved this image first</h2>
      <p>
        <strong>{conflict.authorName}</strong> saved revision {conflict.revision} at {when}, after you started editing. Your save was not written.
      </p>
      <div className={styles.conflictCols}>
        <Side title={`Theirs (revision ${conflict.revision})`} testId="conflict-theirs" objects={only(theirsObj, mineObj)} relations={only(theirsRel, mineRel)} total={[conflict.objects.length, conflict.relationships.length]} />
        <Side title="Yours (unsaved)" testId="conflict-mine" objects={only(mineObj, theirsObj)} relations={only(mineRel, theirsRel)} total={[mine.objects.length, mine.relationships.length]} />
      </div>
      <div className={styles.conflictActions}>
        <button type="button" onClick={onReloadTheirs} disabled={saving}>
          Reload theirs (drop my changes)
        </button>
        <button type="button" className={styles.primary} onClick={onOverwrite} disabled={saving}>
          {saving ? "Saving…" : `Overwrite with mine (on revision ${conflict.revision})`}
        </button>
        <button type="button" onClick={onClose}>
          Keep editing
        </button>
      </div>
    </dialog>
  );
}

function Side({ title, testId, objects, relations, total }: { title: string; testId: string; objects: string[]; relations: string[]; total: [number, number] }) {
  return (
    <section data-testid={testId}>
      <h3>{title}</h3>
      <p className={styles.muted}>
        {total[0]} objects, {total[1]} relations. Only here:
      </p>
      {objects.length + relations.length === 0 ? <p className={styles.muted}>nothing</p> : null}
      <ul>
        {objects.map((o) => (
          <li key={`o:${o}`}>
            <code>{o}</code>
          </li>
        ))}
        {relations.map((r) => (
          <li key={`r:${r}`}>{r}</li>
        ))}
      </ul>
    </section>
  );
}
