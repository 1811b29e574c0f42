import { z } from "zod";
import { protocolFlags } from "./metrics";

const protocolSchema = z
  .object({
    dataset: z.string(),
    split: z.string(),
    gt_images: z.number(),
    gt_triplets: z.number(),
    predicted_images: z.number(),
    iou_threshold: z.number(),
    ng_tie_order: z.string(),
    dataset_type: z.string(),
  })
  .partial();

/** What every number of an evaluation was measured on, in the words the dashboard prints. */
export interface ProtocolInfo {
  dataset: string;
  split: string;
  images: number | null;
  triplets: number | null;
  flags: string;
  evaluatorVersion: string;
  iou: number | null;
  datasetType: string;
}

export function readProtocol(e: { protocol: unknown; compat: readonly string[]; evaluatorVersion: string; datasetType: string }, fallback: { dataset: string; split: string }): ProtocolInfo {
  const p = protocolSchema.safeParse(e.protocol);
  const d = p.success ? p.data : {};
  return {
    dataset: d.dataset ?? fallback.dataset,
    split: d.split ?? fallback.split,
    images: d.gt_images ?? null,
    triplets: d.gt_triplets ?? null,
    flags: protocolFlags(e.compat),
    evaluatorVersion: e.evaluatorVersion,
    iou: d.iou_threshold ?? null,
    datasetType: e.datasetType === "psg" ? "PSG" : "VG150",
  };
}

/** One line: "real-sample/val · 5 images · reference protocol · sgg-workbench-eval/1". */
export function protocolLine(p: ProtocolInfo): string {
  return [`${p.dataset}/${p.split}`, p.images === null ? null : `${p.images} images`, p.flags.replace(" protocol", ""), p.evaluatorVersion].filter(Boolean).join(" · ");
}

/** The fields on which two protocols differ, named for a warning. */
export function protocolDifferences(a: ProtocolInfo, b: ProtocolInfo): string[] {
  const out: string[] = [];
  if (a.dataset !== b.dataset || a.split !== b.split) out.push(`split (${a.dataset}/${a.split} vs ${b.dataset}/${b.split})`);
  if (a.flags !== b.flags) out.push(`compatibility flags (${a.flags} vs ${b.flags})`);
  if (a.evaluatorVersion !== b.evaluatorVersion) out.push(`evaluator version (${a.evaluatorVersion} vs ${b.evaluatorVersion})`);
  if (a.images !== b.images) out.push(`image count (${a.images ?? "?"} vs ${b.images ?? "?"})`);
  return out;
}
