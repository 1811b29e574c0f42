"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect, useMemo, useReducer, useRef, useState } from "react";
import { AnnotationCanvasClient, type CanvasMode } from "@/components/canvas/annotation-canvas-client";
import { ShortcutHelp } from "@/components/image-detail/shortcut-help";
import { ApiError } from "@/components/lib/api-client";
import { queryKeys } from "@/components/query-keys";
import type { ImageDetail } from "@/server/queries/get-image";
import type { BoxPx } from "@/server/scene-graph/types";
import { fetchCurrentGraph, saveGraph, type ConflictInfo, type CurrentGraph } from "./annotation-api";
import { draftScene } from "./canvas-model";
import { ConflictView } from "./conflict-view";
import { canRedo, canUndo, editorReducer, initEditor, isDirty, labelOf } from "./editor-state";
import { EditorToolbar } from "./editor-toolbar";
import { GraphLists } from "./graph-lists";
import { HistoryPanel } from "./history-panel";
import { LabelPicker } from "./label-picker";
import { predictionGraph } from "./prediction-graph";
import { useEditorKeys } from "./use-editor-keys";
import { useUnsavedGuard } from "./use-unsaved-guard";
import styles from "./annotation.module.css";

export interface AnnotationEditorProps {
  image: ImageDetail;
  /** Where n / p go (edit mode kept), or null at the ends of the split. */
  previousHref: string | null;
  nextHref: string | null;
  exitHref: string;
  /** Pre-annotate from this prediction set's answer when the editor opens. */
  fromSet: number | null;
}

/** Edit mode of the image page: loads the current ground truth with its revision, then edits it. */
export function AnnotationEditor(props: AnnotationEditorProps) {
  const graph = useQuery({
    queryKey: queryKeys.annotation.graph(props.image.id),
    queryFn: () => fetchCurrentGraph(props.image.id),
    // Always the newest revision when the editor opens (a cached one would only lead to a conflict),
    // and never a refetch under an open draft: the draft is initialised once from this answer.
    gcTime: 0,
    staleTime: Infinity,
    refetchOnWindowFocus: false,
    refetchOnReconnect: false,
  });
  if (graph.isError) return <p className={styles.error}>Could not load the ground truth: {graph.error.message}</p>;
  if (!graph.data) return <p className={styles.muted}>Loading the ground truth…</p>;
  return <EditorBody {...props} current={graph.data} />;
}

type Picker = { kind: "new"; box: BoxPx } | { kind: "relabel"; id: string } | { kind: "predicate"; subject: string; object: string } | { kind: "edit-predicate"; index: number };

function EditorBody({ image, previousHref, nextHref, exitHref, fromSet, current }: AnnotationEditorProps & { current: CurrentGraph }) {
  const vocabulary = current.vocabulary;
  const router = useRouter();
  const queryClient = useQueryClient();
  const [state, dispatch] = useReducer(editorReducer, null, () => initEditor(current, image.gt.width, image.gt.height));
  const [base, setBase] = useState(current.revision);
  const [mode, setMode] = useState<CanvasMode>("select");
  const [picker, setPicker] = useState<Picker | null>(null);
  const [subject, setSubject] = useState<string | null>(null);
  const [conflict, setConflict] = useState<ConflictInfo | null>(null);
  const [notice, setNotice] = useState<{ tone: "ok" | "error"; text: string } | null>(null);
  const [help, setHelp] = useState(false);
  const [history, setHistory] = useState(false);
  const [lastLabel, setLastLabel] = useState<string | null>(null);
  const dirty = isDirty(state);
  const confirmLeave = useUnsavedGuard(dirty);
  const classes = useMemo(() => new Set(vocabulary.classes), [vocabulary.classes]);
  const scene = useMemo(() => draftScene(state.graph), [state.graph]);
  const sel = state.selection;

  // Pre-annotation asked for in the URL happens once, as an undoable step.
  const seeded = useRef(false);
  useEffect(() => {
    if (seeded.current || fromSet === null) return;
    seeded.current = true;
    const p = image.predictions.find((x) => x.predictionSetId === fromSet);
    if (p) dispatch({ type: "replaceGraph", graph: predictionGraph(p) });
  }, [fromSet, image.predictions]);

  const save = useMutation({
    mutationFn: (args: { base: number; graph: typeof state.graph }) => saveGraph(image.id, args.base, args.graph),
    onSuccess: (result, args) => {
      if (!result.ok) {
        setConflict(result.conflict);
        return;
      }
      setBase(result.revision);
      setConflict(null);
      // Only what was sent counts as saved: edits made while the request ran stay dirty.
      if (args.graph === stateRef.current.graph) dispatch({ type: "saved" });
      const warned = result.warnings.length ? ` Warnings: ${result.warnings.join("; ")}` : "";
      setNotice({ tone: "ok", text: `Saved as revision ${result.revision}.${warned}` });
      void queryClient.invalidateQueries({ queryKey: queryKeys.annotation.revisions(image.id) });
      void queryClient.invalidateQueries({ queryKey: queryKeys.images.all });
    },
    onError: (e) => {
      const fields = e instanceof ApiError && e.fields.length ? `: ${e.fields.map((f) => `${f.field} ${f.message}`).join("; ")}` : "";
      setNotice({ tone: "error", text: `Not saved: ${e.message}${fields}` });
    },
  });
  const stateRef = useRef(state);
  useEffect(() => {
    stateRef.current = state;
  });

  const doSave = (onRevision = base) => {
    if (save.isPending) return;
    setNotice(null);
    save.mutate({ base: onRevision, graph: state.graph });
  };
  const cancel = () => {
    setPicker(null);
    setSubject(null);
    setMode("select");
  };
  const go = (href: string | null) => {
    if (href && confirmLeave()) router.push(href);
  };
  const pickObject = (id: string | null) => {
    if (mode !== "relation") return dispatch({ type: "select", selection: id ? { kind: "object", id } : null });
    if (!id) return;
    if (!subject) setSubject(id);
    else if (id !== subject) {
      setPicker({ kind: "predicate", subject, object: id });
      setMode("select");
    }
  };
  const startRelation = () => {
    setPicker(null);
    setMode("relation");
    setSubject(sel?.kind === "object" ? sel.id : null);
  };
  const relabel = (id: string | undefined) => id && setPicker({ kind: "relabel", id });

  useEditorKeys({
    draw: () => {
      cancel();
      setMode("draw");
    },
    label: () => relabel(sel?.kind === "object" ? sel.id : undefined),
    relation: startRelation,
    remove: () => dispatch({ type: "deleteSelection" }),
    undo: () => dispatch({ type: "undo" }),
    redo: () => dispatch({ type: "redo" }),
    save: () => doSave(),
    next: () => go(nextHref),
    previous: () => go(previousHref),
    escape: () => {
      if (!picker && mode === "select") dispatch({ type: "select", selection: null });
      cancel();
    },
    help: () => setHelp((h) => !h),
  });

  const onPicked = (value: string) => {
    if (!picker) return;
    if (picker.kind === "new") {
      dispatch({ type: "addObject", label: value, bbox: picker.box });
      setLastLabel(value);
    } else if (picker.kind === "relabel") dispatch({ type: "relabel", id: picker.id, label: value });
    else if (picker.kind === "predicate") dispatch({ type: "addRelation", relation: { subject: picker.subject, predicate: value, object: picker.object } });
    else {
      const r = state.graph.relationships[picker.index];
      if (r) dispatch({ type: "editRelation", index: picker.index, relation: { ...r, predicate: value } });
    }
    cancel();
  };

  const pickerProps =
    picker?.kind === "new" || picker?.kind === "relabel"
      ? { title: picker.kind === "new" ? "Label for the new box" : `New label for ${picker.id}`, options: vocabulary.classes, allowOutside: true, initial: picker.kind === "relabel" ? labelOf(picker.id) : (lastLabel ?? "") }
      : picker
        ? {
            title: picker.kind === "predicate" ? `Predicate: ${picker.subject} → ${picker.object}` : "New predicate",
            options: vocabulary.predicates,
            allowOutside: false,
            initial: picker.kind === "edit-predicate" ? state.graph.relationships[picker.index]?.predicate : "",
          }
        : null;

  return (
    <div className={styles.editor} data-dirty={dirty || undefined}>
      <EditorToolbar
        mode={mode}
        dirty={dirty}
        saving={save.isPending}
        revision={base}
        canUndo={canUndo(state)}
        canRedo={canRedo(state)}
        hasSelection={!!sel}
        predictions={image.predictions}
        history={history}
        onDraw={() => {
          cancel();
          setMode(mode === "draw" ? "select" : "draw");
        }}
        onLabel={() => relabel(sel?.kind === "object" ? sel.id : undefined)}
        onRelation={() => (mode === "relation" ? cancel() : startRelation())}
        onDelete={() => dispatch({ type: "deleteSelection" })}
        onUndo={() => dispatch({ type: "undo" })}
        onRedo={() => dispatch({ type: "redo" })}
        onSave={() => doSave()}
        onStartFrom={(p) => dispatch({ type: "replaceGraph", graph: predictionGraph(p) })}
        onRenumber={() => dispatch({ type: "renumber" })}
        onHistory={() => setHistory((h) => !h)}
        onExit={() => go(exitHref)}
        onHelp={() => setHelp(true)}
      />
      {notice ? (
        <p className={notice.tone === "ok" ? styles.ok : styles.error} role={notice.tone === "ok" ? "status" : "alert"}>
          {notice.text}
        </p>
      ) : null}
      {current.warnings.length ? <p className={styles.warning}>{current.warnings.join(" · ")}</p> : null}
      <div className={styles.main}>
        <div className={styles.canvasCol}>
          <AnnotationCanvasClient
            src={image.storageKey ? `/api/image-files/${image.storageKey}` : null}
            width={image.gt.width}
            height={image.gt.height}
            boxes={scene.boxes}
            arrows={scene.arrows}
            mode={mode}
            selectedObject={mode === "relation" ? subject : sel?.kind === "object" ? sel.id : null}
            selectedRelation={sel?.kind === "relation" ? sel.index : null}
            pendingBox={picker?.kind === "new" ? picker.box : null}
            onPickObject={pickObject}
            onPickRelation={(index) => dispatch({ type: "select", selection: { kind: "relation", index } })}
            onBoxChange={(id, bbox) => dispatch({ type: "setBox", id, bbox })}
            onDrawn={(box) => {
              setMode("select");
              setPicker({ kind: "new", box });
            }}
          />
          {pickerProps ? <LabelPicker key={JSON.stringify(picker)} {...pickerProps} vocabularyName={vocabulary.name} onPick={onPicked} onCancel={cancel} /> : null}
        </div>
        <div className={styles.sideCol}>
          <GraphLists
            objects={state.graph.objects}
            relationships={state.graph.relationships}
            selection={sel}
            classes={classes}
            vocabularyName={vocabulary.name}
            relationStep={mode === "relation" ? (subject ? "object" : "subject") : null}
            relationSubject={subject}
            onObject={(id) => pickObject(id)}
            onRelation={(index) => dispatch({ type: "select", selection: { kind: "relation", index } })}
            onRelabel={(id) => relabel(id)}
            onDeleteObject={(id) => dispatch({ type: "deleteObject", id })}
            onEditPredicate={(index) => setPicker({ kind: "edit-predicate", index })}
            onDeleteRelation={(index) => dispatch({ type: "deleteRelation", index })}
          />
        </div>
      </div>
      {history ? (
        <HistoryPanel
          image={image}
          currentRevision={base}
          dirty={dirty}
          onReverted={(revision, graph) => {
            setBase(revision);
            dispatch({ type: "load", graph });
            setNotice({ tone: "ok", text: `Reverted: revision ${revision} written.` });
          }}
        />
      ) : null}
      {conflict ? (
        <ConflictView
          conflict={conflict}
          mine={state.graph}
          saving={save.isPending}
          onReloadTheirs={() => {
            dispatch({ type: "load", graph: conflict });
            setBase(conflict.revision);
            setConflict(null);
            setNotice({ tone: "ok", text: `Loaded revision ${conflict.revision} by ${conflict.authorName}.` });
          }}
          onOverwrite={() => doSave(conflict.revision)}
          onClose={() => setConflict(null)}
        />
      ) : null}
      {help ? <ShortcutHelp editing onClose={() => setHelp(false)} /> : null}
    </div>
  );
}
