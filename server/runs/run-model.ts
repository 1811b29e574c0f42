import type { TrainingRunForm } from "./training-config";

/** The project's own small model: one Model row for every tiny run's checkpoints. */
export const TINY_MODEL = { name: "tiny-sgg", family: "tiny-sgg" } as const;

/**
 * The Model row a run's checkpoints are registered under: `tiny-sgg` for the tiny model, the Hugging
 * Face id for the others, with the family (qwen2-vl, qwen2.5-vl or hf) read from the id.
 */
export function runModel(form: Pick<TrainingRunForm, "model">): { name: string; family: string } {
  if (form.model.family === "tiny") return { ...TINY_MODEL };
  const id = form.model.id;
  const lower = id.toLowerCase();
  const family = /qwen2[._-]5[-_]?vl/.test(lower) ? "qwen2.5-vl" : /qwen2[-_]?vl/.test(lower) ? "qwen2-vl" : "hf";
  return { name: id, family };
}
