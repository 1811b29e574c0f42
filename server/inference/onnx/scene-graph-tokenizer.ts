/**
 * The tiny model's tokenizer as the trainer writes it (tokenizer.json, workers/trainer/sgg_trainer/
 * tokenizer.py): the token list is rebuilt in the same order from the vocabulary, so ids match, and
 * decoding concatenates surfaces up to the first EOS, exactly like the Python side.
 */
import { z } from "zod";
import { pyJsonString } from "../prompts";

const SPECIALS = ["<pad>", "<bos>", "<eos>", "<sys:plain>", "<sys:think>", "<prompt:closed>", "<prompt:open>"] as const;
// Structural pieces of the b.5 answer layout, in the trainer's order.
const STRUCTURE = [
  '```json\n{\n  "objects": [\n',
  '{"id": "',
  ".",
  '", "bbox": [',
  ", ",
  "]}",
  ",\n",
  '\n  ],\n  "relationships": [\n',
  '{"subject": "',
  '", "predicate": "',
  '", "object": "',
  '"}',
  "\n  ]\n}\n```\n",
  "<think>",
  "</think>",
  "<answer>",
  "</answer>",
] as const;

export const tokenizerFileSchema = z.object({
  kind: z.literal("scene-graph"),
  classes: z.array(z.string()).min(1),
  predicates: z.array(z.string()).min(1),
  max_id: z.number().int().min(1),
  coord_bins: z.number().int().min(2),
});
export type TokenizerFile = z.infer<typeof tokenizerFileSchema>;

export class SceneGraphTokenizer {
  readonly surfaces: string[] = [];
  private readonly special: boolean[] = [];

  constructor(readonly spec: TokenizerFile) {
    for (const s of SPECIALS) this.add(s, true);
    for (const s of STRUCTURE) this.add(s, false);
    for (let k = 1; k <= spec.max_id; k++) this.add(String(k), false);
    for (const c of spec.classes) this.add(pyJsonString(c).slice(1, -1), false);
    for (const p of spec.predicates) this.add(pyJsonString(p).slice(1, -1), false);
    for (let b = 0; b < spec.coord_bins; b++) this.add(String(Math.floor((b * 1000) / (spec.coord_bins - 1) + 0.5)), false);
  }

  private add(surface: string, special: boolean): void {
    this.surfaces.push(surface);
    this.special.push(special);
  }

  get vocabSize(): number {
    return this.surfaces.length;
  }

  get padId(): number {
    return 0;
  }

  get eosId(): number {
    return 2;
  }

  /** Id of a structural piece of the answer layout (the trainer's `id_of(surface, "struct")`). */
  structureId(surface: string): number {
    const i = (STRUCTURE as readonly string[]).indexOf(surface);
    if (i < 0) throw new Error(`not a structural token: ${JSON.stringify(surface)}`);
    return SPECIALS.length + i;
  }

  /** Prompt tokens: begin, system kind, user prompt variant (the tiny model's stand-in for b.1). */
  encodePrompt(system: "plain" | "think", variant: "closed" | "open"): number[] {
    return [1, system === "think" ? 4 : 3, variant === "open" ? 6 : 5];
  }

  /** Text of a token sequence: surfaces joined, stopping at the first EOS; specials and unknown ids vanish. */
  decode(ids: Iterable<number>): string {
    let out = "";
    for (const i of ids) {
      if (i === this.eosId) break;
      if (i >= 0 && i < this.surfaces.length && !this.special[i]) out += this.surfaces[i];
    }
    return out;
  }
}
