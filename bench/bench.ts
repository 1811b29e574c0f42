/**
 * `npm run bench`: throughput of the rewards and wall time of the full evaluation on generated VG150-like
 * splits, on one core. Prints figures and ratios measured side by side in this run; the last line is
 * `bench: hard=<n>/s soft=<n>/s eval5k=<s>s eval26k=<s>s`.
 */
import { linearSumAssignment as linearSumAssignmentPkg } from "linear-sum-assignment";
import { evaluate } from "../server/scene-graph/eval/evaluate";
import { linearSumAssignment } from "../server/scene-graph/linear-assignment";
import { computePresetReward, type RewardPreset } from "../server/scene-graph/rewards/compute-rewards";
import type { RewardInput } from "../server/scene-graph/rewards/reward-context";
import { getVocabulary } from "../server/scene-graph/vocab";
import { generateSplit, type GeneratedSplit } from "../server/synthetic/generate-split";
import { createRng } from "../server/synthetic/random";
import { createWordnetMapper, loadWordnet } from "../server/wordnet/load-wordnet";
import { benchData } from "./bench-data";
import { startRewardServer } from "../server/rewards/create-reward-server";

const log = (s: string) => process.stdout.write(s + "\n");
const seconds = (ms: number) => (ms / 1000).toFixed(3);

function rewardInputs(split: GeneratedSplit): RewardInput[] {
  return split.gt.map((rec, i) => ({
    completion: split.predictions[i]!.response,
    gt: rec,
    imageSize: [rec.width, rec.height],
    boxScale: [1000, 1000],
  }));
}

/** Rewards per second for a preset, looping over the cases for at least `minMs`. */
function rewardRate(cases: readonly RewardInput[], preset: RewardPreset, minMs = 2000): number {
  for (const c of cases.slice(0, 500)) computePresetReward(c, preset); // warm-up
  let n = 0;
  const t0 = performance.now();
  let t = t0;
  while (t - t0 < minMs) {
    for (const c of cases) computePresetReward(c, preset);
    n += cases.length;
    t = performance.now();
  }
  return n / ((t - t0) / 1000);
}

function benchAssignment(): void {
  log("\nAssignment solver, µs per solve (ours reproduces SciPy's tie choice; the package is linear-sum-assignment 1.0.9)");
  log("   n     ours   package   package/ours");
  const rng = createRng(3);
  for (const n of [1, 5, 10, 20, 50, 100]) {
    const mats = Array.from({ length: Math.max(5, Math.floor(2000 / n)) }, () => Array.from({ length: n }, () => Array.from({ length: n }, () => Math.round(rng() * 20) / 4)));
    const flat = mats.map((m) => Float64Array.from(m.flat()));
    const time = (f: (i: number) => void) => {
      const t0 = performance.now();
      let reps = 0;
      while (performance.now() - t0 < 300) {
        for (let i = 0; i < mats.length; i++) f(i);
        reps += mats.length;
      }
      return ((performance.now() - t0) * 1000) / reps;
    };
    const ours = time((i) => linearSumAssignment(flat[i]!, n, n));
    const pkg = time((i) => linearSumAssignmentPkg(mats[i]!, { maximaze: false }));
    log(`${String(n).padStart(4)} ${ours.toFixed(2).padStart(8)} ${pkg.toFixed(2).padStart(9)} ${(pkg / ours).toFixed(2).padStart(12)}`);
  }
}

/** Round trip of one GRPO step's scoring (32 prompts × 8 completions) through the loopback service. */
async function benchRewardService(split: GeneratedSplit): Promise<void> {
  const service = await startRewardServer();
  try {
    const items = split.gt.slice(0, 32).flatMap((r, i) =>
      Array.from({ length: 8 }, () => ({ completion: split.predictions[i]!.response, gt: { objects: r.objects, relationships: r.relationships }, image_size: [r.width, r.height], box_scale: [1000, 1000] })),
    );
    const body = JSON.stringify({ preset: "hard_recall", items });
    const times: number[] = [];
    for (let i = 0; i < 30; i++) {
      const t = performance.now();
      const res = await fetch(`${service.url}/score`, { method: "POST", body, headers: { "content-type": "application/json" } });
      await res.json();
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    log(`\nReward service, one GRPO step (256 completions) over loopback HTTP: median ${times[15]!.toFixed(1)} ms, worst ${times[29]!.toFixed(1)} ms`);
  } finally {
    await service.close();
  }
}

async function main(): Promise<void> {
  log("Generating splits (seeded): 5,000 and 26,446 images…");
  const t0 = performance.now();
  const split5k = generateSplit({ images: 5000, seed: 1 });
  const split26k = generateSplit({ images: 26446, seed: 2 });
  const objs = split5k.gt.reduce((n, r) => n + r.objects.length, 0) / 5000;
  const rels = split5k.gt.reduce((n, r) => n + r.relationships.length, 0) / 5000;
  const maxObjs = Math.max(...split5k.gt.map((r) => r.objects.length));
  const maxRels = Math.max(...split5k.gt.map((r) => r.relationships.length));
  const kinds = { good: 0, partial: 0, broken: 0 };
  for (const k of split5k.kinds) kinds[k]++;
  log(`  5k split: ${objs.toFixed(1)} objects (max ${maxObjs}) and ${rels.toFixed(1)} relations (max ${maxRels}) per image; answers good ${kinds.good}, partial ${kinds.partial}, broken ${kinds.broken}; generated in ${seconds(performance.now() - t0)} s`);

  const cases = rewardInputs(split5k);
  const hard = rewardRate(cases, "hard_recall");
  const soft = rewardRate(cases, "soft_recall");
  const relax = rewardRate(cases, "hard_recall_relax");
  log("\nRewards per second (one core), reference on this machine kind: ~8,500 hard, ~1,100 soft");
  log(`  Hard Recall          ${Math.round(hard).toLocaleString("en")}/s   (${(hard / 8500).toFixed(1)}× the reference)`);
  log(`  Soft Recall          ${Math.round(soft).toLocaleString("en")}/s   (${(soft / 1100).toFixed(1)}× the reference)`);
  log(`  Hard Recall + Relax  ${Math.round(relax).toLocaleString("en")}/s`);

  benchAssignment();
  await benchRewardService(split5k);

  const tw = performance.now();
  const db = await loadWordnet();
  const vocab = getVocabulary("vg");
  log(`\nWordNet 3.0 loaded in ${seconds(performance.now() - tw)} s (once per process, not part of the evaluation time)`);
  const runEval = (s: GeneratedSplit) => {
    const t = performance.now();
    evaluate(s.gt, s.predictions, {
      datasetType: "vg",
      wordnetClass: createWordnetMapper(db, vocab.classSet),
      wordnetPredicate: createWordnetMapper(db, vocab.predicateSet),
    });
    return (performance.now() - t) / 1000;
  };
  runEval(generateSplit({ images: 500, seed: 9 })); // warm-up
  const e5 = [runEval(split5k), runEval(split5k), runEval(split5k)].sort((a, b) => a - b)[1]!;
  const e26 = [runEval(split26k), runEval(split26k)].sort((a, b) => a - b)[0]!;
  log("\nFull evaluation (gather, failure rate, COCO AP, no-K recalls, SGDET R@K family), reference: ~47 s for 5,000 and ~262 s for 26,446 images");
  log(`  5,000 images   ${e5.toFixed(3)} s  (median of 3; ${(47 / e5).toFixed(0)}× faster than the reference)`);
  log(`  26,446 images  ${e26.toFixed(3)} s  (best of 2; ${(e26 / e5).toFixed(2)}× the 5,000-image time, ${(26446 / 5000).toFixed(2)}× the images)`);
  if (!process.argv.includes("--core-only")) {
    const d = await benchData();
    log(`data: ingest100k=${d.ingestSeconds.toFixed(1)}s page_p95=${d.p95Ms.toFixed(1)}ms detail_p95=${d.detailP95Ms.toFixed(1)}ms image_page=${d.pageMs === null ? "skipped" : `${d.pageMs.toFixed(0)}ms`}`);
  }
  log(`bench: hard=${Math.round(hard)}/s soft=${Math.round(soft)}/s eval5k=${e5.toFixed(3)}s eval26k=${e26.toFixed(3)}s`);
}

await main();
