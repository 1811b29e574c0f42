import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import pg from "pg";

// Works on one synthetic-shapes/val image the other specs leave alone: not the real sample, not the
// first synthetic images, not the last four the annotation spec edits.

interface Graph {
  revision: number;
  width: number;
  height: number;
  graph: { objects: { id: string; bbox: number[] }[]; relationships: { subject: string; predicate: string; object: string }[] };
  vocabulary: { predicates: string[] };
}
interface Versions {
  currentGtVersion: number;
  evaluations: { id: number; gtVersion: number; recall: number | null }[];
  reviews: { accepted: number; flagged: number };
}

const env = { ...process.env, DATABASE_URL: process.env.DATABASE_URL, SGG_DATA_DIR: process.env.SGG_DATA_DIR };
const sgg = (...args: string[]) => execFileSync(path.resolve("bin/sgg"), args, { env, encoding: "utf8" });

async function pickImage(): Promise<{ id: number; imageKey: string }> {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    const rows = await client.query<{ id: number; imageKey: string }>(
      `SELECT i.id, i."imageKey" FROM "Image" i JOIN "Split" s ON s.id = i."splitId" JOIN "Dataset" d ON d.id = s."datasetId"
       WHERE d.name = 'synthetic-shapes' AND s.name = 'val' AND i."relationCount" > 0 AND i."objectCount" >= 3 ORDER BY i.id DESC OFFSET 6 LIMIT 1`,
    );
    return rows.rows[0]!;
  } finally {
    await client.end();
  }
}

const csrfOf = async (page: Page) => (await page.context().cookies()).find((c) => c.name === "sgg_csrf")!.value;
const versionsOf = async (page: Page, setId: number) => (await (await page.request.get(`/api/prediction-sets/${setId}/evaluation-versions`)).json()) as Versions;
const pct = (v: number | null) => (v === null ? "–" : (v * 100).toFixed(1));

test("accept a predicted triplet, re-evaluate in one click, and see recall against the original and the reviewed ground truth", async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 1000 });
  const { id, imageKey } = await pickImage();
  const before = (await (await page.request.get(`/api/images/${id}/graph`)).json()) as Graph;
  const gt = before.graph;

  // An answer that finds every object and every relation, plus one the ground truth lacks.
  const [s, o] = [gt.objects[0]!.id, gt.objects[1]!.id];
  const predicate = before.vocabulary.predicates.find((p) => !gt.relationships.some((r) => r.subject === s && r.object === o && r.predicate === p))!;
  const to1000 = (b: number[]) => [b[0]! / before.width, b[1]! / before.height, b[2]! / before.width, b[3]! / before.height].map((v) => Math.round(v * 1000));
  const answer = { objects: gt.objects.map((x) => ({ id: x.id, bbox: to1000(x.bbox) })), relationships: [...gt.relationships, { subject: s, predicate, object: o }] };
  const dir = mkdtempSync(path.join(tmpdir(), "sgg-adjusted-"));
  writeFileSync(path.join(dir, `${imageKey}.json`), JSON.stringify({ image_id: imageKey, response: `<answer>${JSON.stringify(answer)}</answer>`, box_scale: [1000, 1000] }));
  const setId = Number(/prediction set (\d+)/.exec(sgg("import-predictions", "--dataset", "synthetic-shapes", "--split", "val", "--from", dir, "--name", "e2e-adjusted", "--replace"))![1]);
  const original = Number(/stored as evaluation (\d+)/.exec(sgg("evaluate", "--prediction-set", String(setId)))![1]);
  const start = await versionsOf(page, setId);
  expect(start.evaluations.map((e) => e.id)).toEqual([original]);

  // Before any review of this set the dashboard shows the version it read and no re-evaluate button.
  await page.goto(`/evaluations/${original}`);
  await expect(page.getByTestId("gt-version")).toHaveText(`${start.currentGtVersion} (current)`);
  await expect(page.getByRole("button", { name: /^Re-evaluate/ })).toHaveCount(0);

  // Accept the extra triplet into ground truth through the API, as the image page does.
  const accepted = await page.request.post(`/api/images/${id}/reviews`, {
    headers: { "x-sgg-csrf": await csrfOf(page) },
    data: { baseRevision: before.revision, kind: "accepted", triplet: { subject: s, predicate, object: o }, predictionSetId: setId },
  });
  expect(accepted.status()).toBe(200);
  const next = start.currentGtVersion + 1;

  await page.reload();
  await expect(page.getByTestId("gt-version")).toHaveText(`${start.currentGtVersion} (split now at ${next})`);
  const panel = page.getByTestId("adjusted-recall");
  // Reviewed but not yet re-evaluated: the original figures and the counts, no reviewed column.
  await expect(panel.getByTestId("adjusted-reviewed-ngr")).toHaveCount(0);
  await expect(panel.getByTestId("reviews-accepted")).toHaveText(String(start.reviews.accepted + 1));
  await expect(panel).toContainText(`The split is at GT version ${next} now`);

  await page.getByRole("button", { name: `Re-evaluate against GT version ${next}` }).click();
  await expect(page.getByTestId("reevaluate-job")).toContainText(`against GT version ${next}`);
  const link = page.getByTestId("reevaluated-link");
  await expect(link).toBeVisible({ timeout: 60_000 });

  const after = await versionsOf(page, setId);
  expect(after.evaluations.map((e) => e.gtVersion)).toEqual([start.currentGtVersion, next]);
  const [a, b] = [after.evaluations[0]!, after.evaluations[1]!];
  // The model answered the accepted triplet, so recall against the reviewed ground truth is higher.
  expect(b.recall!).toBeGreaterThan(a.recall!);

  // This page refreshes its panel once the new evaluation is stored.
  await expect(panel.getByTestId("adjusted-reviewed-ngr")).toHaveText(pct(b.recall));
  await link.click();
  await expect(page).toHaveURL(new RegExp(`/evaluations/${b.id}$`));
  await expect(page.getByTestId("gt-version")).toHaveText(`${next} (current)`);
  await expect(page.getByRole("button", { name: /^Re-evaluate/ })).toHaveCount(0);
  // Its newest peer is the same set on the older ground truth, named by version rather than by the set alone.
  await expect(page.getByRole("link", { name: `Compare with e2e-adjusted on GT version ${start.currentGtVersion}` })).toBeVisible();
  await expect(panel.getByTestId("adjusted-original-ngr")).toHaveText(pct(a.recall));
  await expect(panel.getByTestId("adjusted-reviewed-ngr")).toHaveText(pct(b.recall));
  await expect(panel.getByTestId("adjusted-delta-ngr")).toHaveText(`+${((b.recall! - a.recall!) * 100).toFixed(1)}`);
  await expect(panel.getByTestId("adjusted-delta-ngr")).toHaveClass(/better/);
  await expect(panel.getByTestId("reviews-accepted")).toHaveText(String(after.reviews.accepted));
  await expect(panel.getByTestId("reviews-flagged")).toHaveText(String(after.reviews.flagged));
  expect(after.reviews.accepted).toBe(start.reviews.accepted + 1);
  for (const key of ["ngmr", "ap50", "failure"]) {
    await expect(panel.getByTestId(`adjusted-original-${key}`)).toHaveText(/^\d+\.\d$/);
    await expect(panel.getByTestId(`adjusted-reviewed-${key}`)).toHaveText(/^\d+\.\d$/);
  }
  await page.screenshot({ path: "test-results/eval-adjusted-recall.png", fullPage: true });

  // The older evaluation now links to the one against the newest ground truth instead of offering a button.
  await page.goto(`/evaluations/${original}`);
  await expect(page.getByRole("link", { name: `Open the evaluation against GT version ${next}` })).toHaveAttribute("href", `/evaluations/${b.id}`);
  await expect(page.getByRole("button", { name: /^Re-evaluate/ })).toHaveCount(0);

  // The list names the GT version of each evaluation.
  await page.goto("/evaluations");
  const rows = page.getByRole("table", { name: "Evaluations" }).getByRole("row").filter({ hasText: "e2e-adjusted" });
  await expect(rows).toHaveCount(2);
  await expect(rows.filter({ hasText: `evaluation #${b.id}` }).getByTestId("evaluation-gt-version")).toHaveText(String(next));
  await expect(rows.filter({ hasText: `evaluation #${original}` }).getByTestId("evaluation-gt-version")).toHaveText(`${start.currentGtVersion}now ${next}`);
});
