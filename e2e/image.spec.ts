import { expect, test, type Page } from "@playwright/test";
import pg from "pg";

// The seeded demo: real-sample/val holds five photographs; example-answers has an answer for each,
// chelsea's being truncated.
interface Ids {
  images: Record<string, number>;
  order: number[];
  setId: number;
}

interface KonvaNode {
  name(): string;
  hasName(name: string): boolean;
  id(): string;
  stroke(): string;
  visible(): boolean;
  isVisible(): boolean;
  dash(): number[] | undefined;
  getClientRect(): { x: number; y: number; width: number; height: number };
}
interface KonvaStage {
  find(selector: string): KonvaNode[];
  findOne(selector: string): KonvaNode | undefined;
}
declare global {
  interface Window {
    Konva: { stages: KonvaStage[] };
  }
}

let ids: Ids;

test.beforeAll(async () => {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    const images = await client.query<{ id: number; imageKey: string }>(
      `SELECT i.id, i."imageKey" FROM "Image" i JOIN "Split" s ON s.id = i."splitId" JOIN "Dataset" d ON d.id = s."datasetId"
       WHERE d.name = 'real-sample' AND s.name = 'val' ORDER BY i.id`,
    );
    const set = await client.query<{ id: number }>(`SELECT id FROM "PredictionSet" WHERE name = 'example-answers'`);
    ids = {
      images: Object.fromEntries(images.rows.map((r) => [r.imageKey, r.id])),
      order: images.rows.map((r) => r.id),
      setId: set.rows[0]!.id,
    };
  } finally {
    await client.end();
  }
});

interface ApiImage {
  gt: { objects: unknown[]; relationships: unknown[] };
  predictions: { gathered: { objects: unknown[] }; diagnosis: { objectMatch: (number | null)[]; gt: { hit: boolean }[] } }[];
}

async function openImage(page: Page, key: string) {
  const id = ids.images[key]!;
  await page.goto(`/images/${id}?sets=${ids.setId}`);
  await expect(page.getByRole("heading", { level: 1, name: key })).toBeVisible();
  // The stage is client-only: wait until Konva has drawn the boxes.
  await page.waitForFunction(() => (window.Konva?.stages?.[0]?.find(".gt-box").length ?? 0) > 0);
  const res = await page.request.get(`/api/images/${id}?sets=${ids.setId}`);
  expect(res.ok()).toBe(true);
  return { id, record: (await res.json()) as ApiImage };
}

const count = (page: Page, selector: string) => page.evaluate((s) => window.Konva.stages[0]!.find(s).length, selector);
/** Boxes of one side drawn as highlighted (Konva selectors take one name at a time). */
const lit = (page: Page, side: "gt" | "pred") =>
  page.evaluate((side) => window.Konva.stages[0]!.find(`.${side}-box`).filter((n) => n.hasName("highlighted")).length, side);

test("canvas draws ground-truth and predicted boxes as separate, toggleable layers", async ({ page }) => {
  const { record } = await openImage(page, "camera");
  const prediction = record.predictions[0]!;
  expect(await count(page, ".gt-box")).toBe(record.gt.objects.length);
  expect(await count(page, ".pred-box")).toBe(prediction.gathered.objects.length);

  // A matched pair shares its stroke colour; an unmatched predicted box is dashed.
  const k = prediction.diagnosis.objectMatch.findIndex((m) => m !== null);
  const i = prediction.diagnosis.objectMatch[k]!;
  const pair = await page.evaluate(([k, i]) => {
    const s = window.Konva.stages[0]!;
    return [s.findOne(`#pred-${k}`)!.stroke(), s.findOne(`#gt-${i}`)!.stroke()];
  }, [k, i] as const);
  expect(pair[0]).toBe(pair[1]);
  const unmatched = prediction.diagnosis.objectMatch.findIndex((m) => m === null);
  if (unmatched >= 0) {
    const dash = await page.evaluate((u) => window.Konva.stages[0]!.findOne(`#pred-${u}`)!.dash(), unmatched);
    expect(dash?.length).toBeGreaterThan(0);
  }
  await page.screenshot({ path: "test-results/image-camera.png", fullPage: true });

  const predVisible = () => page.evaluate(() => window.Konva.stages[0]!.findOne(".pred")!.isVisible());
  expect(await predVisible()).toBe(true);
  await page.keyboard.press("p");
  await expect.poll(predVisible).toBe(false);
  await expect(page.getByRole("button", { name: /Prediction/ })).toHaveAttribute("aria-pressed", "false");
  await page.keyboard.press("p");
  await expect.poll(predVisible).toBe(true);

  // Arrows on demand.
  expect(await page.evaluate(() => window.Konva.stages[0]!.findOne(".arrows")!.isVisible())).toBe(false);
  await page.keyboard.press("a");
  await expect.poll(() => page.evaluate(() => window.Konva.stages[0]!.findOne(".arrows")!.isVisible())).toBe(true);
  expect(await count(page, ".gt-arrow")).toBe(record.gt.relationships.length);
  await page.screenshot({ path: "test-results/image-arrows.png" });
});

test("the triplet table shows hits, and misses with their reason", async ({ page }) => {
  const { record } = await openImage(page, "camera");
  const hits = record.predictions[0]!.diagnosis.gt.filter((d) => d.hit).length;
  await expect(page.locator('[data-testid^="gt-row-"][data-status="hit"]')).toHaveCount(hits);
  await expect(page.locator('[data-testid^="gt-row-"][data-status="miss"]').first()).toContainText(
    /No matching subject box|No matching object box|label mismatch|IoU below 0.5|Predicate differs|swapped|No relation predicted/,
  );
  await expect(page.getByText("Subject label mismatch").first()).toBeVisible();
  await expect(page.getByText("Plausible but unannotated").first()).toBeVisible();
  await expect(page.getByTestId("mapping-audit")).toContainText("Labels mapped");

  // Hovering a row lights its boxes on the canvas.
  await page.getByTestId("gt-row-0").hover();
  await expect.poll(() => lit(page, "gt")).toBeGreaterThan(0);
});

test("a failed answer shows the parse failure located in the raw output", async ({ page }) => {
  await openImage(page, "chelsea");
  const failure = page.getByTestId("parse-failure");
  await expect(failure).toContainText("Truncated");
  await expect(failure).toContainText("ends mid-value");
  await expect(page.getByTestId("failure-mark")).toBeVisible();
  await expect(page.locator('[data-testid^="gt-row-"]').first()).toContainText("Failed answer");
  expect(await count(page, ".pred-box")).toBe(0);
  // The answer is text, never markup.
  await expect(page.getByTestId("raw-output")).toContainText("<answer>");
  await page.screenshot({ path: "test-results/image-chelsea-failure.png", fullPage: true });
});

test("clicking a graph edge lights its two boxes on the canvas", async ({ page }) => {
  await openImage(page, "coffee");
  await page.getByTestId("graph-label-gt-0").click();
  await expect.poll(() => lit(page, "gt")).toBe(2);
  await expect(page.getByTestId("gt-row-0")).toHaveAttribute("data-lit", "true");
  // Pinned: it stays lit when the pointer leaves.
  await page.mouse.move(2, 2);
  await expect.poll(() => lit(page, "gt")).toBe(2);
  await page.screenshot({ path: "test-results/image-graph-edge.png", fullPage: true });
});

test("arrow keys walk the split, keeping the prediction sets; ? lists the shortcuts", async ({ page }) => {
  const first = ids.order[0]!;
  const second = ids.order[1]!;
  await page.goto(`/images/${first}?sets=${ids.setId}`);
  await page.waitForFunction(() => (window.Konva?.stages?.[0]?.find(".gt-box").length ?? 0) > 0);
  await page.keyboard.press("ArrowRight");
  await expect(page).toHaveURL(new RegExp(`/images/${second}\\?sets=${ids.setId}$`));
  await page.keyboard.press("ArrowLeft");
  await expect(page).toHaveURL(new RegExp(`/images/${first}\\?sets=${ids.setId}$`));
  await page.keyboard.press("?");
  await expect(page.getByRole("dialog", { name: "Keyboard shortcuts" })).toBeVisible();
  await page.screenshot({ path: "test-results/image-shortcuts.png" });
});

test("an unknown image is a 404 page, and the API validates its input", async ({ page, request }) => {
  const res = await page.goto("/images/987654321");
  expect(res?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Image not found" })).toBeVisible();
  await page.screenshot({ path: "test-results/image-404.png" });
  expect((await request.get("/api/images/987654321")).status()).toBe(404);
  expect((await request.get("/api/images/abc")).status()).toBe(400);
  expect((await request.get(`/api/images/${ids.images.astronaut}?sets=x`)).status()).toBe(400);
});

test("the prediction-set switcher shows each set's answer on the same image", async ({ page }) => {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  const revised = await client.query<{ id: number }>(`SELECT id FROM "PredictionSet" WHERE name = 'revised-answers'`);
  await client.end();
  const id = ids.images.chelsea!;
  await page.goto(`/images/${id}?sets=${ids.setId},${revised.rows[0]!.id}`);
  await page.waitForFunction(() => (window.Konva?.stages?.[0]?.find(".gt-box").length ?? 0) > 0);
  const tabs = page.getByRole("tablist", { name: "Prediction set" });
  await expect(tabs.getByRole("tab", { name: "example-answers" })).toHaveAttribute("aria-selected", "true");
  // The first set's chelsea answer is truncated: nothing predicted on the canvas.
  expect(await count(page, ".pred-box")).toBe(0);
  await page.keyboard.press("2");
  await expect(tabs.getByRole("tab", { name: "revised-answers" })).toHaveAttribute("aria-selected", "true");
  await page.waitForFunction(() => (window.Konva?.stages?.[0]?.find(".pred-box").length ?? 0) === 7);
  await expect(page.getByText("parsed", { exact: true })).toBeVisible();
  await page.screenshot({ path: "test-results/image-set-switcher.png", fullPage: true });
});
