import { expect, test, type Page } from "@playwright/test";
import pg from "pg";

/**
 * The run pages. The first tests store runs directly in the e2e database (the rows a train job writes),
 * so the curves, live polling, group viewer and checkpoints are checked on known data; the last one
 * starts a real tiny SFT run from the form, which the e2e worker trains with the Python trainer.
 */

async function sql<T extends Record<string, unknown>>(text: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

async function syntheticImages(n: number) {
  return sql<{ id: number; splitId: number; width: number; height: number }>(
    `SELECT i.id, i."splitId", i.width, i.height FROM "Image" i JOIN "Split" s ON s.id = i."splitId" JOIN "Dataset" d ON d.id = s."datasetId"
     WHERE d.name = 'synthetic-shapes' ORDER BY i.id LIMIT $1`,
    [n],
  );
}

async function insertRun(name: string, kind: "sft" | "grpo", status: string, splitId: number, lastStep: number): Promise<number> {
  const [row] = await sql<{ id: number }>(
    `INSERT INTO "Run" (name, kind, status, config, "splitId", "runDir", "lastStep", "totalSteps", "startedAt", "finishedAt")
     VALUES ($1, $2::"RunKind", $3::"JobStatus", $4, $5, '', $6, 100, now() - interval '5 minutes', CASE WHEN $3 IN ('completed','failed','cancelled') THEN now() END) RETURNING id`,
    [name, kind, status, JSON.stringify({ name, kind, model: { family: "tiny", options: {} }, splitId }), splitId, lastStep],
  );
  return row!.id;
}

async function insertMetrics(runId: number, steps: number[], names: Record<string, (step: number) => number>) {
  const rows = steps.flatMap((step) => Object.entries(names).map(([name, f]) => [runId, step, name, f(step)] as const));
  await sql(`INSERT INTO "MetricPoint" ("runId", step, name, value) SELECT * FROM unnest($1::int[], $2::int[], $3::text[], $4::float8[])`, [
    rows.map((r) => r[0]),
    rows.map((r) => r[1]),
    rows.map((r) => r[2]),
    rows.map((r) => r[3]),
  ]);
}

const answer = (boxes: number[][]) =>
  "```json\n" + JSON.stringify({ objects: boxes.map((b, i) => ({ id: `circle.${i + 1}`, bbox: b })), relationships: [] }) + "\n```";

const chart = (page: Page, id: string) => page.locator(`[data-chart="${id}"]`);

test("a GRPO run: grouped curves with smoothing and log scale, the group viewer, checkpoints and log", async ({ page }) => {
  const [img1, img2] = await syntheticImages(2);
  const runId = await insertRun(`e2e grpo ${Date.now()}`, "grpo", "completed", img1!.splitId, 4);
  const steps = [1, 2, 3, 4];
  await insertMetrics(runId, steps, {
    "reward/format": (s) => 0.5 + s / 10,
    "reward/edge_hard": (s) => s / 20,
    "reward/total_mean": (s) => 1 + s / 4,
    "reward/total_std": () => 0.3,
    frac_reward_zero_std: () => 0.5,
    failure_rate: (s) => 0.4 - s / 20,
    kl: (s) => s / 1000,
    completion_length: (s) => 100 + s,
    lr: () => 6e-7,
    samples_per_s: () => 3,
    loss: (s) => -0.01 * s,
  });
  const good = { text: answer([[100, 100, 500, 500], [600, 600, 900, 900]]), reward: 2.5, values: { format: 1, edge_hard: 0.2 }, advantage: 0.71, length: 40, failed: false };
  const poor = { text: answer([[0, 0, 50, 50]]), reward: 1, values: { format: 1, edge_hard: 0 }, advantage: -0.71, length: 20, failed: false };
  const broken = { text: "not a graph", reward: 0, values: { format: 0, edge_hard: 0 }, advantage: 0, length: 5, failed: true };
  await sql(
    `INSERT INTO "Rollout" ("runId", step, "promptId", "imageId", "imageWidth", "imageHeight", completions, "rewardStd") VALUES
     ($1, 2, 'a', $2, $3, $4, $5, 1.06), ($1, 4, 'a', $2, $3, $4, $6, 0), ($1, 4, 'b', $7, $8, $9, $5, 1.06)`,
    [runId, img1!.id, img1!.width, img1!.height, JSON.stringify([good, poor]), JSON.stringify([broken, broken, broken]), img2!.id, img2!.width, img2!.height],
  );
  await sql(`INSERT INTO "RunLog" ("runId", line, level, message) SELECT $1, g, 'info', 'trainer line ' || g FROM generate_series(1, 5) g`, [runId]);
  const [model] = await sql<{ id: number }>(`INSERT INTO "Model" (name, family) VALUES ($1, 'tiny-sgg') RETURNING id`, [`e2e-model-${runId}`]);
  const evaluations: number[] = [];
  for (const [step, recall] of [[2, 0.1], [4, 0.25]] as const) {
    const [ck] = await sql<{ id: number }>(`INSERT INTO "Checkpoint" ("modelId", "runId", step, path, format) VALUES ($1, $2, $3, $4, 'torch') RETURNING id`, [model!.id, runId, step, `/runs/${runId}/step-${step}`]);
    const [set] = await sql<{ id: number }>(`INSERT INTO "PredictionSet" (name, "splitId", "checkpointId", origin, count) VALUES ($1, $2, $3, 'inference', 2) RETURNING id`, [`e2e run ${runId} @${step}`, img1!.splitId, ck!.id]);
    const [ev] = await sql<{ id: number }>(
      `INSERT INTO "Evaluation" ("predictionSetId", "datasetType", "compatKey", compat, "evaluatorVersion", protocol, summary) VALUES ($1, 'vg', '', '{}', 'e2e', '{}', $2) RETURNING id`,
      [set!.id, JSON.stringify({ failure: { rate: 10 }, coco: { AP50: 0.3 }, ngr: { recall, mean_recall: recall / 2 } })],
    );
    evaluations.push(ev!.id);
  }

  await page.setViewportSize({ width: 1280, height: 1000 });
  await page.goto("/runs");
  await page.getByRole("link", { name: /^e2e grpo/ }).first().click();
  await expect(page).toHaveURL(new RegExp(`/runs/${runId}$`));
  await expect(page.locator("h1")).toContainText("completed");

  // Reward functions share a chart; the total reward has its band; every chart has the 4 steps.
  await expect(chart(page, "total")).toHaveAttribute("data-points", "4");
  await expect(chart(page, "components")).toContainText("Reward per function");
  for (const id of ["components", "kl", "length", "failure", "lr", "throughput", "loss"]) await expect(chart(page, id).locator("canvas")).toBeVisible();
  await expect(chart(page, "components").locator(".u-legend")).toContainText("reward/edge_hard");
  await page.getByLabel("Log scale").check();
  // The loss is negative: nothing to draw on a log axis, the chart stays (with its steps).
  await expect(chart(page, "loss")).toHaveAttribute("data-points", "4");
  await page.getByLabel("Smoothing (EMA weight)").press("Home");
  await expect(page.getByText("0.00", { exact: true })).toBeVisible();

  // Group viewer: the newest step first, its flat group flagged; the other prompt and an older step.
  const groups = page.getByRole("region", { name: "GRPO groups" });
  await expect(groups.getByTestId("group-step")).toHaveText("4");
  await expect(groups.getByTestId("zero-variance")).toContainText("All 3 completions got the same reward");
  await expect(groups.locator("[data-completion]")).toHaveCount(3);
  await expect(groups.locator("[data-completion]").first()).toContainText("failed");
  await groups.getByLabel("Prompt").selectOption({ index: 1 });
  await expect(groups.getByTestId("zero-variance")).toHaveCount(0);
  await groups.getByRole("button", { name: "← previous" }).click();
  await expect(groups.getByTestId("group-step")).toHaveText("2");
  const cards = groups.locator("[data-completion]");
  await expect(cards).toHaveCount(2);
  await expect(cards.nth(0)).toContainText("+0.71");
  await expect(cards.nth(1)).toContainText("-0.71");
  // The chosen completion's two boxes are drawn over the ground truth on the large picture.
  const big = groups.locator("svg").first();
  await expect(big.locator('[data-box="pred"]')).toHaveCount(2);
  expect(await big.locator('[data-box="gt"]').count()).toBeGreaterThan(0);
  await cards.nth(1).click();
  await expect(big.locator('[data-box="pred"]')).toHaveCount(1);
  await expect(groups.getByRole("table", { name: "Reward per function" })).toContainText("edge_hard");

  // Checkpoints with their evaluations, and Compare between consecutive ones.
  const table = page.getByRole("table", { name: "Checkpoints" });
  await expect(table.locator("tbody tr")).toHaveCount(2);
  await expect(table.locator('[data-checkpoint-step="4"]')).toContainText("25.0");
  await expect(table.getByRole("link", { name: "Open in Compare" })).toHaveAttribute("href", `/compare?evaluations=${evaluations[0]},${evaluations[1]}`);
  await expect(page.getByTestId("run-log")).toContainText("trainer line 5");
  await page.screenshot({ path: "test-results/run-grpo.png", fullPage: true });
});

test("a running run's curves grow as points arrive, and the page settles when it ends", async ({ page }) => {
  const [img] = await syntheticImages(1);
  const runId = await insertRun(`e2e live ${Date.now()}`, "sft", "running", img!.splitId, 3);
  await insertMetrics(runId, [1, 2, 3], { loss: (s) => 3 - s / 2, lr: () => 1e-5 });
  await page.goto(`/runs/${runId}`);
  await expect(chart(page, "loss")).toHaveAttribute("data-points", "3");
  await insertMetrics(runId, [4, 5, 6], { loss: (s) => 3 - s / 2, lr: () => 1e-5 });
  await expect(chart(page, "loss")).toHaveAttribute("data-points", "6", { timeout: 10_000 });
  await expect(chart(page, "loss")).toHaveAttribute("data-last-step", "6");
  await sql(`UPDATE "Run" SET status = 'completed', "lastStep" = 6, "finishedAt" = now() WHERE id = $1`, [runId]);
  await expect(page.locator("h1 [data-status]")).toHaveText("completed", { timeout: 10_000 });
  await expect(page.getByRole("button", { name: "Cancel run" })).toHaveCount(0);
});

test("starts a tiny SFT run from the form, watches its curves grow, and cancels it", async ({ page }) => {
  test.setTimeout(240_000);
  const name = `e2e tiny sft ${Date.now()}`;
  // A Hugging Face checkpoint: the server refuses it as the tiny model's start, naming the field.
  const [foreign] = await sql<{ id: number }>(`INSERT INTO "Model" (name, family) VALUES ($1, 'qwen2-vl') RETURNING id`, [`e2e-foreign-${Date.now()}`]);
  const [foreignCk] = await sql<{ id: number }>(`INSERT INTO "Checkpoint" ("modelId", path, format) VALUES ($1, '/models/foreign', 'hf') RETURNING id`, [foreign!.id]);
  await page.goto("/runs/new");
  const form = page.getByRole("form", { name: "New training run" });
  await expect(page.getByTestId("gpu-verdict")).toContainText("A CPU run");

  // The browser's check with the run schema: nothing is sent without a name and a split.
  await form.getByRole("button", { name: "Start run" }).click();
  await expect(page.locator('[data-field="name"]').getByRole("alert")).toHaveText("give the run a name");
  await expect(page.locator('[data-field="splitId"]').getByRole("alert")).toHaveText("choose a training split");

  await form.getByLabel("Name").fill(name);
  const split = form.getByLabel("Training split");
  await split.selectOption((await split.locator('optgroup[label="synthetic-shapes"] option').first().getAttribute("value"))!);
  const tinyOptions: [string, string][] = [["image size", "32"], ["patch size", "8"], ["d model", "32"], ["n heads", "2"], ["encoder layers", "1"], ["decoder layers", "1"], ["coord bins", "11"]];
  for (const [label, value] of tinyOptions) {
    await form.getByLabel(label, { exact: true }).fill(value);
  }
  await form.getByLabel("Max steps").fill("3000");
  await form.getByLabel("Batch size").fill("2");
  await form.getByLabel("Micro-batch").fill("2");
  await form.getByLabel("Max completion length").fill("40");
  await form.getByLabel("Checkpoint every").fill("0");
  await form.getByLabel("CPU threads").fill("1");
  await expect(page.locator('[data-field="name"]').getByRole("alert")).toHaveCount(0);
  // The estimate follows the form: 1 + 1 layers of width 32.
  await expect(page.getByRole("region", { name: "Memory estimate" })).toContainText("tiny (d 32, 1+1 layers)");
  await page.screenshot({ path: "test-results/run-form.png", fullPage: true });

  await form.getByLabel("Start from").selectOption(String(foreignCk!.id));
  await form.getByRole("button", { name: "Start run" }).click();
  const startFrom = page.locator('[data-field="initCheckpointId"]').getByRole("alert");
  await expect(startFrom).toContainText("the tiny model starts only from tiny-sgg torch checkpoints");
  await expect(page).toHaveURL(/\/runs\/new$/);
  await form.getByLabel("Start from").selectOption("");
  await expect(startFrom).toHaveCount(0);
  await form.getByRole("button", { name: "Start run" }).click();

  await expect(page).toHaveURL(/\/runs\/\d+$/, { timeout: 30_000 });
  await expect(page.locator("h1")).toContainText(name);
  const loss = chart(page, "loss");
  await expect(loss).toHaveAttribute("data-points", /^[1-9]\d*$/, { timeout: 150_000 });
  const first = Number(await loss.getAttribute("data-points"));
  await expect.poll(async () => Number(await loss.getAttribute("data-points")), { timeout: 30_000 }).toBeGreaterThan(first);
  await expect(page.getByTestId("run-progress")).toContainText("of 3000");

  await page.getByRole("button", { name: "Cancel run" }).click();
  await expect(page.locator("h1 [data-status]")).toHaveText("cancelled", { timeout: 60_000 });
  await expect(page.getByRole("button", { name: "Resume" })).toBeVisible();
  await page.goto("/runs");
  await expect(page.getByRole("row", { name: new RegExp(name) }).locator("[data-status]")).toHaveText("cancelled");
  await page.screenshot({ path: "test-results/run-list.png", fullPage: true });
});
