import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runSgg } from "./testing/run-sgg";
import rewardGolden from "../server/scene-graph/fixtures/golden/reward-cases.json";
import evalGolden from "../server/scene-graph/fixtures/golden/eval-cases.json";
import { expectClose } from "../server/scene-graph/test-utils";


const sgg = (args: string[]) => runSgg(args);

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "sgg-cli-"));
});

describe("sgg reward", () => {
  it("reproduces the golden reward cases through the command line", async () => {
    const cases = rewardGolden.cases.map((c) => ({ completion: c.input.completion, gt: c.input.gt_pixels_xyxy, image_size: c.input.image_size, box_scale: c.input.box_scale }));
    const input = path.join(dir, "cases.jsonl");
    const sim = path.join(dir, "sim.json");
    await writeFile(input, cases.map((c) => JSON.stringify(c)).join("\n") + "\n");
    await writeFile(sim, JSON.stringify(rewardGolden.meta.similarity_stub));
    const { code, stdout } = await sgg(["reward", "--input", input, "--similarity", sim, "--compat", "r1sgg-head"]);
    expect(code).toBe(0);
    const rows = stdout.trim().split("\n").map((l) => JSON.parse(l) as Record<string, number>);
    expect(rows).toHaveLength(cases.length);
    rows.forEach((row, i) => {
      const want = rewardGolden.cases[i]!.output as Record<string, number>;
      expect(Object.keys(row)).toEqual(["format", "node_acc", "node_box", "edge_soft", "edge_hard", "edge_hard_relax", "total_soft_recall", "total_hard_recall", "total_hard_recall_relax"]);
      expectClose(row.format, want.format_reward, "format");
      expectClose(row.edge_soft, want.edge_reward, "edge_soft");
      expectClose(row.total_soft_recall, want.total_default_soft_recall, "soft");
      expectClose(row.total_hard_recall, want.total_hard_recall, "hard");
    });
  });

  it("names the file and line of a malformed input and exits 3", async () => {
    const input = path.join(dir, "bad.jsonl");
    await writeFile(input, `{"completion": "x", "gt": {"objects": [], "relationships": []}, "image_size": [1, 1], "box_scale": [1000, 1000]}\n{"completion": 3}\n`);
    const r = await sgg(["reward", "--input", input]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(`${input}:2`);
    expect(r.stderr).toContain("completion");
    expect(r.stderr).not.toContain("    at ");
  });

  it("reports a missing file and an unknown flag", async () => {
    const missing = await sgg(["reward", "--input", path.join(dir, "nope.jsonl")]);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain("nope.jsonl");
    const flag = await sgg(["reward", "--input", "x", "--compat", "bogus"]);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain('unknown flag "bogus"');
  });
});

describe("sgg eval", () => {
  it("evaluates a golden scenario from a prediction folder, skipping unknown images", async () => {
    const s = evalGolden.scenarios[0]!;
    const gt = path.join(dir, "gt.jsonl");
    const preds = await mkdtemp(path.join(dir, "preds-"));
    await writeFile(gt, s.input.dataset.map((r) => JSON.stringify(r)).join("\n") + "\n");
    for (const p of s.input.prediction_files) await writeFile(path.join(preds, `${p.image_id}.json`), JSON.stringify(p));
    await writeFile(path.join(preds, "999.json"), JSON.stringify({ image_id: "999", response: "{}", box_scale: [1000, 1000] }));
    const out = path.join(dir, "report.json");
    const r = await sgg(["eval", "--gt", gt, "--pred", preds, "--compat", "coco-id0", "--json", out, "--quiet"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Failure rate");
    expect(r.stdout).toContain("Skipped 1 prediction(s) for images the ground truth lacks: 999");
    const report = JSON.parse(await readFile(out, "utf8"));
    expect(report.failure).toMatchObject({ failed: 0, total: 2, rate: 0 });
    report.protocol.compat.forEach((f: string) => expect(f).toBe("coco-id0"));
    expectClose(report.coco.AP50, s.metrics.coco_bbox_stats[1], "AP50");
    expectClose(report.ngr.recall, s.metrics.ng_loop.whole_ngR, "ngR");
    expectClose(report.sgdet["mR@50"], 0.08, "mR@50");
    expect(report.sgdet["zR@20"]).toBeNull();
    expect(report.per_image).toHaveLength(2);
    expect(report.per_predicate).toHaveLength(50);
  });

  it("counts an unparsable answer as a failure with its reason", async () => {
    const s = evalGolden.scenarios[0]!;
    const gt = path.join(dir, "gt2.jsonl");
    const preds = path.join(dir, "preds.jsonl");
    await writeFile(gt, s.input.dataset.map((r) => JSON.stringify(r)).join("\n") + "\n");
    await writeFile(preds, [JSON.stringify({ ...s.input.prediction_files[0], response: '{"objects": [' }), JSON.stringify(s.input.prediction_files[1])].join("\n"));
    const out = path.join(dir, "report2.json");
    const r = await sgg(["eval", "--gt", gt, "--pred", preds, "--json", out, "--quiet"]);
    expect(r.code).toBe(0);
    const report = JSON.parse(await readFile(out, "utf8"));
    expect(report.failure).toMatchObject({ failed: 1, total: 2, rate: 50 });
    expect(report.failure.reasons.truncated).toBe(1);
    expect(report.per_image[0].failure_kind).toBe("truncated");
  });

  it("names the ground-truth line with an unknown class", async () => {
    const gt = path.join(dir, "gt3.jsonl");
    await writeFile(gt, JSON.stringify({ image_id: "1", width: 10, height: 10, objects: [{ id: "unicorn.1", bbox: [0, 0, 1, 1] }], relationships: [] }) + "\n");
    const r = await sgg(["eval", "--gt", gt, "--pred", gt, "--quiet"]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(`${gt}:1`);
    expect(r.stderr).toContain('"unicorn" is not a vg class');
  });
});
