/**
 * Prompts for chat models (method.md b.1), the same texts the trainer's Hugging Face adapter uses
 * (workers/trainer/sgg_trainer/prompts.py; prompts.test.ts keeps the two identical). For inference the
 * closed prompt is built from the dataset's vocabulary (VG150 or PSG), never from a row field (b.1).
 */
import { getVocabulary } from "../scene-graph/vocab";
import type { DatasetType } from "../scene-graph/types";

export const THINK_SYSTEM =
  "A conversation between User and Assistant. The user asks a question, and the Assistant solves it. " +
  "The assistant first thinks about the reasoning process in the mind and then provides the user with the answer. " +
  "The reasoning process and answer are enclosed within <think> </think> and <answer> </answer> tags, respectively, " +
  "i.e., <think> reasoning process here </think><answer> answer here </answer>";
export const PLAIN_SYSTEM = "You are a helpful multimodal assistant.";

const SCHEMA =
  '```json\n{\n  "objects": [\n    {"id": "object_name.number", "bbox": [x1, y1, x2, y2]},\n    ...\n  ],\n' +
  '  "relationships": [\n    {"subject": "object_name.number", "predicate": "predicate_name", "object": "object_name.number"},\n    ...\n  ]\n}\n```';
const GUIDELINES =
  "Guidelines:\n" +
  "- Give every object a unique id of the form object_name.number (for example person.1, bike.2).\n" +
  "- Write each box as [x1, y1, x2, y2] with integer coordinates.\n" +
  "- List every visible object, even when it has no relationship.\n" +
  "- Express interactions as subject-predicate-object relationships.\n" +
  "- Leave out relationships for objects that have none.";
const EXAMPLE =
  'Example:\n```json\n{\n  "objects": [\n    {"id": "person.1", "bbox": [125, 200, 425, 933]},\n' +
  '    {"id": "bike.2", "bbox": [100, 500, 525, 983]},\n    {"id": "helmet.3", "bbox": [200, 150, 325, 283]},\n' +
  '    {"id": "tree.4", "bbox": [625, 66, 975, 700]}\n  ],\n  "relationships": [\n' +
  '    {"subject": "person.1", "predicate": "riding", "object": "bike.2"},\n' +
  '    {"subject": "person.1", "predicate": "wearing", "object": "helmet.3"}\n  ]\n}\n```';

/** Python's `json.dumps` of a list of strings: ", " separators, non-ASCII escaped as \uXXXX. */
export function pyJsonStringList(items: readonly string[]): string {
  return `[${items.map(pyJsonString).join(", ")}]`;
}

/** Python's `json.dumps` of one string (ensure_ascii). */
export function pyJsonString(s: string): string {
  return JSON.stringify(s).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** The user text; `closed` lists the allowed names (background excluded). */
export function userPrompt(variant: "closed" | "open", classes: readonly string[] = [], predicates: readonly string[] = []): string {
  const parts = ["Generate a structured scene graph for the image using the following format:", SCHEMA, GUIDELINES];
  if (variant === "closed") {
    parts.push("Allowed object names: " + pyJsonStringList(classes.filter((c) => c !== "__background__")));
    parts.push("Allowed predicates: " + pyJsonStringList(predicates.filter((p) => p !== "__background__")));
  }
  parts.push(EXAMPLE, "Now generate the complete scene graph for the provided image.");
  return parts.join("\n\n");
}

/** The raw class names of a dataset vocabulary (PSG keeps its hyphens, `tree-merged`), in id order. */
export function vocabularyNames(type: DatasetType): { classes: string[]; predicates: string[] } {
  const v = getVocabulary(type);
  return { classes: v.classIds.map((id) => v.className(id)), predicates: [...v.predicates] };
}

export interface ChatPrompt {
  readonly system: string;
  readonly user: string;
}

/** System and user text for one request of an inference run over a dataset of `type`. */
export function inferencePrompt(type: DatasetType, variant: "closed" | "open", system: "plain" | "think"): ChatPrompt {
  const { classes, predicates } = vocabularyNames(type);
  return { system: system === "think" ? THINK_SYSTEM : PLAIN_SYSTEM, user: userPrompt(variant, classes, predicates) };
}
