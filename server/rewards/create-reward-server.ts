import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { z } from "zod";
import { computeRewards, REWARD_NAMES, REWARD_PRESETS, type RewardName, type RewardPreset } from "../scene-graph/rewards/compute-rewards";
import { parseSceneGraph } from "../scene-graph/parse-graph";
import { gtGraphSchema } from "../scene-graph/schemas";
import { exactSimilarity, type Similarity } from "../scene-graph/similarity";
import { COMPAT_FLAGS } from "../scene-graph/types";

const finite = z.number().refine(Number.isFinite, "expected a finite number");

/** One scoring request of the trainer: a batch of completions with their ground truth (pixels). */
export const scoreRequestSchema = z.object({
  items: z.array(
    z.object({
      completion: z.string(),
      gt: gtGraphSchema,
      image_size: z.tuple([finite.positive(), finite.positive()]),
      box_scale: z.tuple([finite.positive(), finite.positive()]),
    }),
  ).max(65536),
  preset: z.enum(Object.keys(REWARD_PRESETS) as [RewardPreset, ...RewardPreset[]]),
  weights: z.partialRecord(z.enum(REWARD_NAMES), z.number()).optional(),
  strict_format: z.boolean().optional(),
  compat: z.array(z.enum(COMPAT_FLAGS as unknown as ["r1sgg-head", "coco-id0", "psg-object-vocab"])).optional(),
});
export type ScoreRequest = z.infer<typeof scoreRequestSchema>;

export interface ScoredItem {
  /** Weighted sum over the preset's functions. */
  total: number;
  /** Every reward function's value, whatever the preset, for the per-component curves. */
  values: Record<RewardName, number>;
  /** True when the answer did not parse as a graph (the run's failure rate). */
  failed: boolean;
}

/** Scores a batch with the core (d.13): the same code the CLI and the evaluation use. */
export function scoreBatch(req: ScoreRequest, similarity: Similarity = exactSimilarity): ScoredItem[] {
  const fns = REWARD_PRESETS[req.preset] as readonly RewardName[];
  return req.items.map((it) => {
    const { scores } = computeRewards(
      { completion: it.completion, gt: it.gt, imageSize: it.image_size, boxScale: it.box_scale },
      { similarity, strictFormat: req.strict_format, compat: req.compat },
    );
    const values = Object.fromEntries(REWARD_NAMES.map((n) => [n, scores[n]])) as Record<RewardName, number>;
    let total = 0;
    for (const n of fns) total += (req.weights?.[n] ?? 1.0) * values[n];
    // The evaluation's definition of a failed answer, so training and evaluation curves agree.
    return { total, values, failed: !parseSceneGraph(it.completion).ok };
  });
}

/**
 * The reward service a training run talks to: `POST /score` on loopback answers `{"rewards": [...]}` in
 * request order; a malformed request is a 400 naming the field. Listens on 127.0.0.1 only.
 */
export async function startRewardServer(options: { port?: number; similarity?: Similarity } = {}): Promise<{ url: string; server: Server; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    if (req.method !== "POST" || req.url !== "/score") {
      res.writeHead(req.url === "/health" ? 200 : 404, { "content-type": "application/json" }).end(JSON.stringify({ ok: req.url === "/health" }));
      return;
    }
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      let body: unknown;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      } catch {
        res.writeHead(400, { "content-type": "application/json" }).end(JSON.stringify({ error: "body is not JSON" }));
        return;
      }
      const parsed = scoreRequestSchema.safeParse(body);
      if (!parsed.success) {
        const fields = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join(".")}: ${i.message}`);
        res.writeHead(400, { "content-type": "application/json" }).end(JSON.stringify({ error: `invalid request: ${fields.join("; ")}` }));
        return;
      }
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ rewards: scoreBatch(parsed.data, options.similarity) }));
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, server, close: () => new Promise((r) => server.close(() => r())) };
}
