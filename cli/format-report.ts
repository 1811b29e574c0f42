import type { EvaluationReport } from "../server/scene-graph/eval/evaluate";

const pct = (x: number | null | undefined) => (x === null || x === undefined || Number.isNaN(x) ? "  nan" : (x * 100).toFixed(2).padStart(6));

/** A readable summary of an evaluation, figures ×100 with two decimals as the reference prints them. */
export function formatReport(r: EvaluationReport): string {
  const p = r.protocol;
  const reasons = Object.entries(r.failure.reasons)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${k} ${n}`)
    .join(", ");
  const lines = [
    `SGG evaluation (${p.evaluator}) — dataset ${p.dataset_type}, flags: ${p.compat.length ? p.compat.join(",") : "none"}`,
    `  images: ${p.predicted_images} predicted of ${p.gt_images} in the ground truth, ${p.gt_triplets} ground-truth triplets`,
    "",
    `Failure rate   ${r.failure.rate.toFixed(4)} %  (${r.failure.failed} of ${r.failure.total})${reasons ? `  — ${reasons}` : ""}`,
    "",
    "Objects (COCO box AP, all predicted objects at score 1.0)",
    `  AP ${pct(r.coco.AP)}   AP50 ${pct(r.coco.AP50)}   AP75 ${pct(r.coco.AP75)}   APs ${pct(r.coco.APs)}   APm ${pct(r.coco.APm)}   APl ${pct(r.coco.APl)}`,
    `  AR1 ${pct(r.coco.AR1)}  AR10 ${pct(r.coco.AR10)}  AR100 ${pct(r.coco.AR100)}  ARs ${pct(r.coco.ARs)}  ARm ${pct(r.coco.ARm)}  ARl ${pct(r.coco.ARl)}`,
    "",
    "Triplet recall without a cut-off (the paper's Recall / mRecall)",
    `  whole ngR ${pct(r.ngr.recall)}   whole mean of ngR ${pct(r.ngr.mean_recall)}   ngR per image ${pct(r.ngr.recall_per_image)}   mean ngR per image ${pct(r.ngr.mean_recall_per_image)}`,
    "",
    "SGDET (Scene-Graph-Benchmark protocol)",
    "         R@K    ngR@K    zR@K  ngzR@K    mR@K  ngmR@K",
  ];
  for (const k of [20, 50, 100]) {
    const s = r.sgdet;
    lines.push(`  K=${String(k).padEnd(3)} ${pct(s[`R@${k}`])}  ${pct(s[`ngR@${k}`])}  ${pct(s[`zR@${k}`])}  ${pct(s[`ngzR@${k}`])}  ${pct(s[`mR@${k}`])}  ${pct(s[`ngmR@${k}`])}`);
  }
  if (r.unknown_images.length) {
    lines.push("", `Skipped ${r.unknown_images.length} prediction(s) for images the ground truth lacks: ${r.unknown_images.slice(0, 10).join(", ")}${r.unknown_images.length > 10 ? ", …" : ""}`);
  }
  return lines.join("\n");
}
