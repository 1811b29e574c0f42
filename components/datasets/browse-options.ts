import { getVocabulary } from "@/server/scene-graph/vocab";
import type { SplitOverview } from "@/server/queries/dataset-overview";
import type { Lens, Option } from "@/components/image-grid/image-filters";
import { protocolLabel } from "./evaluation-summary";

const byName = (a: Option, b: Option) => a.name.localeCompare(b.name);

/** The filter choices of a split: its vocabulary's classes and predicates, and its sets and evaluations. */
export function browseOptions(split: SplitOverview): { classes: Option[]; predicates: Option[]; lenses: Lens[] } {
  const vocab = getVocabulary(split.dataset.datasetType);
  const classes = vocab.classIds.map((id) => ({ id, name: vocab.className(id) })).sort(byName);
  const predicates = vocab.predicates.map((name, i) => ({ id: i + 1, name })).sort(byName);
  const lenses = split.predictionSets.flatMap((set): Lens[] =>
    set.evaluations.length
      ? set.evaluations.map((ev) => ({ setId: set.id, evalId: ev.id, label: `${set.name} · ${protocolLabel(ev.compat)} · ${ev.evaluatorVersion}` }))
      : [{ setId: set.id, label: `${set.name} (not evaluated)` }],
  );
  return { classes, predicates, lenses };
}
