import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, test, type APIRequestContext } from "@playwright/test";

type Overview = { name: string; splits: { id: number; name: string; predictionSets: { id: number; name: string; evaluations: { id: number }[] }[] }[] }[];

const env = { ...process.env, DATABASE_URL: process.env.DATABASE_URL, SGG_DATA_DIR: process.env.SGG_DATA_DIR };
const sgg = (...args: string[]) => execFileSync(path.resolve("bin/sgg"), args, { env, encoding: "utf8" });

async function sample(request: APIRequestContext) {
  const overview = (await (await request.get("/api/datasets")).json()) as Overview;
  const split = overview.find((d) => d.name === "real-sample")!.splits.find((s) => s.name === "val")!;
  return { split, set: split.predictionSets.find((s) => s.name === "example-answers")! };
}

/** A second prediction set where the truncated chelsea answer is written out in full from the ground truth. */
function importBetterSet(): number {
  const dir = mkdtempSync(path.join(tmpdir(), "sgg-better-"));
  cpSync("data/sample/predictions", dir, { recursive: true });
  const gt = readFileSync("data/sample/records.jsonl", "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l) as { image_id: string; width: number; height: number; objects: { id: string; bbox: number[] }[]; relationships: unknown[] }).find((r) => r.image_id === "chelsea")!;
  const to1000 = (b: number[]) => [b[0]! / gt.width, b[1]! / gt.height, b[2]! / gt.width, b[3]! / gt.height].map((v) => Math.round(v * 1000));
  const answer = { objects: gt.objects.map((o) => ({ id: o.id, bbox: to1000(o.bbox) })), relationships: gt.relationships };
  const file = path.join(dir, "chelsea.json");
  const pred = JSON.parse(readFileSync(file, "utf8")) as { response: string };
  pred.response = `<think>A tabby cat's face, close up.</think>\n<answer>${JSON.stringify(answer)}</answer>`;
  writeFileSync(file, JSON.stringify(pred));
  const out = sgg("import-predictions", "--dataset", "real-sample", "--split", "val", "--from", dir, "--name", "better", "--replace");
  const id = Number(/prediction set (\d+)/.exec(out)![1]);
  const evaluated = sgg("evaluate", "--prediction-set", String(id));
  return Number(/stored as evaluation (\d+)/.exec(evaluated)![1]);
}

test("evaluation dashboard: headline numbers with their protocol, predicate bars and failure reasons open the grid", async ({ page, request }) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  const { split, set } = await sample(request);
  const evaluationId = set.evaluations[0]!.id;

  await page.goto("/evaluations");
  await page.getByRole("link", { name: "example-answers" }).first().click();
  await expect(page).toHaveURL(new RegExp(`/evaluations/${evaluationId}$`));
  await expect(page.getByRole("heading", { level: 1, name: "example-answers" })).toBeVisible();
  const protocol = page.getByLabel("Protocol");
  await expect(protocol).toContainText("real-sample");
  await expect(protocol).toContainText("reference protocol");
  await expect(protocol).toContainText("sgg-workbench-eval/1");
  for (const [metric, value] of [["Failure rate", "20.0"], ["AP50", "66.4"], ["Recall", "43.1"], ["mRecall", "50.5"], ["R@50", "37.7"], ["mR@100", "8.9"]] as const) {
    const card = page.getByRole("article", { name: metric, exact: true });
    await expect(card).toContainText(value);
    await expect(card).toContainText("real-sample/val · 5 images · reference · sgg-workbench-eval/1");
  }
  const chart = page.getByTestId("predicate-recall-chart");
  await expect(chart.locator("canvas")).toBeVisible();
  await page.screenshot({ path: "test-results/eval-dashboard.png", fullPage: true });

  // Bars follow ground-truth frequency: "has" (21 triplets) first, then "on" (12), then "wearing" (6).
  const over = chart.locator(".u-over");
  const box = (await over.boundingBox())!;
  const bars = 9;
  await over.hover({ position: { x: (2.5 / bars) * box.width, y: box.height - 4 } });
  await expect(chart).toContainText("wearing (head): ngR 83.3% — 5 of 6");
  await over.click({ position: { x: (2.5 / bars) * box.width, y: box.height - 4 } });
  await expect(page).toHaveURL(new RegExp(`/datasets/${split.id}/images\\?set=${set.id}&eval=${evaluationId}&predicate=48$`));

  await page.goto(`/evaluations/${evaluationId}`);
  await page.getByRole("link", { name: "Truncated: 1 images" }).click();
  await expect(page).toHaveURL(new RegExp(`/datasets/${split.id}/images\\?set=${set.id}&eval=${evaluationId}&failure=truncated$`));
});

test("unknown evaluation is a 404", async ({ page }) => {
  const r = await page.goto("/evaluations/999999");
  expect(r?.status()).toBe(404);
});

test("compare two evaluations: deltas, a fixed triplet that opens the image, the image side by side", async ({ page, request }) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  const { set } = await sample(request);
  const a = set.evaluations[0]!.id;
  const b = importBetterSet();
  const overview = await sample(request);
  const better = overview.split.predictionSets.find((s) => s.name === "better")!;

  await page.goto("/compare");
  await page.getByLabel(`example-answers (evaluation ${a})`).check();
  await page.getByLabel(`better (evaluation ${b})`).check();
  await page.getByRole("button", { name: "Compare 2 evaluations" }).click();
  await expect(page).toHaveURL(new RegExp(`/compare\\?evaluations=${a}(%2C|,)${b}$`));

  await expect(page.getByTestId("delta-failure-1")).toHaveText("-20.0");
  await expect(page.getByTestId("delta-failure-1")).toHaveClass(/better/);
  await expect(page.getByTestId("delta-ngr-1")).toHaveText(/^\+\d+\.\d$/);
  await expect(page.getByTestId("predicate-delta-chart").locator("canvas")).toBeVisible();
  const fixed = page.getByTestId("flip-fixed");
  await expect(fixed).toHaveCount(8);
  await expect(page.getByRole("region", { name: "Fixed by B" })).toContainText("cat.1 has head.1");
  const sideBySide = page.getByTestId("side-by-side");
  await expect(sideBySide).toContainText("failed: truncated");
  await expect(sideBySide).toContainText("8 GT triplets hit");
  await page.waitForFunction(() => [...document.querySelectorAll<HTMLImageElement>("[data-testid=side-by-side] img")].every((i) => i.complete && i.naturalWidth > 0));
  await page.screenshot({ path: "test-results/eval-compare.png", fullPage: true });

  const link = fixed.first().getByRole("link");
  const href = await link.getAttribute("href");
  expect(href).toMatch(new RegExp(`^/images/\\d+\\?sets=${set.id},${better.id}$`));
  await link.click();
  await expect(page).toHaveURL(new RegExp(`/images/\\d+\\?sets=${set.id},${better.id}$`));
});

test("reward inspector: breaking the JSON zeroes the rewards, fixing a label raises them", async ({ page, request }) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  const { split } = await sample(request);
  const images = (await (await request.get(`/api/splits/${split.id}/images?limit=10`)).json()) as { items?: { id: number; imageKey: string }[] };
  const chelsea = images.items?.find((i) => i.imageKey === "chelsea");
  await page.goto(chelsea ? `/inspector?image=${chelsea.id}` : "/inspector");
  if (!chelsea) {
    await page.getByLabel("Split").selectOption({ label: "real-sample/val (5 images)" });
    await page.getByLabel("Image").selectOption({ label: "chelsea" });
  }
  await expect(page.getByRole("textbox", { name: "Model output" })).toBeVisible();
  const status = page.getByTestId("parse-status");
  const editor = page.locator("#completion");
  const total = page.getByTestId("reward-total_soft_recall");

  const good = `<answer>{"objects": [{"id": "cat.1", "bbox": [0, 0, 1000, 1000]}, {"id": "dog.1", "bbox": [63, 0, 1000, 1000]}], "relationships": [{"subject": "cat.1", "predicate": "has", "object": "dog.1"}]}</answer>`;
  await editor.fill(good);
  await expect(status).toContainText("Parses: 2 objects, 1 relationships");
  await expect(page.getByTestId("match-line")).toHaveCount(2);
  const before = Number(await total.textContent());

  await editor.fill(good.replace("]}</answer>", "]</answer>"));
  await expect(status).toContainText("Fails");
  await expect(page.getByTestId("reward-format")).toHaveText("0.000");
  await expect(total).toHaveText("0.000");
  await expect(page.getByTestId("match-line")).toHaveCount(0);

  await editor.fill(good.replaceAll("dog.1", "head.1"));
  await expect(status).toContainText("Parses");
  await expect.poll(async () => Number(await total.textContent())).toBeGreaterThan(before);
  await expect(page.getByTestId("reward-edge_hard")).not.toHaveText("0.000");
  await page.screenshot({ path: "test-results/eval-inspector.png", fullPage: true });
});
