import { expect, test, type Page } from "@playwright/test";

type Summary = { failure: { rate: number }; coco: { AP50: number }; ngr: { recall: number; mean_recall: number } };
type Overview = { name: string; splits: { id: number; name: string; predictionSets: { id: number; name: string; evaluations: { id: number; summary: Summary }[] }[] }[] }[];

const pct = (v: number) => (v * 100).toFixed(1);

/** Waits until every mounted thumbnail has decoded, so screenshots show pictures, not grey boxes. */
async function thumbnailsLoaded(page: Page) {
  await page.waitForFunction(() => [...document.querySelectorAll<HTMLImageElement>("[data-image-id] img")].every((i) => i.complete && i.naturalWidth > 0));
}

test("datasets page, then the sample's image grid: filter, sort, share, open", async ({ page, request }) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  const overview = (await (await request.get("/api/datasets")).json()) as Overview;
  const sample = overview.find((d) => d.name === "real-sample")!;
  const split = sample.splits.find((s) => s.name === "val")!;
  const set = split.predictionSets.find((s) => s.name === "example-answers")!;
  const evaluation = set.evaluations[0]!;

  await page.goto("/datasets");
  await expect(page.getByRole("heading", { level: 1, name: "Datasets" })).toBeVisible();
  const section = page.getByRole("region", { name: "real-sample" });
  await expect(section.getByText("Photographs: see data/sample/README.md")).toBeVisible();
  const row = section.getByRole("row").filter({ hasText: "example-answers" });
  const s = evaluation.summary;
  for (const figure of [`${s.failure.rate.toFixed(1)}%`, pct(s.coco.AP50), pct(s.ngr.recall), pct(s.ngr.mean_recall)]) {
    await expect(row.getByRole("cell", { name: figure, exact: true })).toBeVisible();
  }
  await expect(row.getByRole("link", { name: "Evaluation" })).toHaveAttribute("href", `/evaluations/${evaluation.id}`);
  await expect(page.getByRole("region", { name: "synthetic-shapes" })).toBeVisible();
  await page.screenshot({ path: "test-results/browse-datasets.png", fullPage: true });

  await page.getByRole("link", { name: "Browse images of real-sample/val" }).click();
  await expect(page).toHaveURL(new RegExp(`/datasets/${split.id}/images$`));
  const tiles = page.locator("[data-image-id]");
  await expect(tiles).toHaveCount(5);
  await expect(page.getByTestId("result-count")).toHaveText("5 images");
  await thumbnailsLoaded(page);
  await page.screenshot({ path: "test-results/browse-grid.png", fullPage: true });

  // Through the evaluation: recall on every tile, the truncated answer flagged.
  await page.getByLabel("Seen through").selectOption({ value: `${set.id}:${evaluation.id}` });
  await expect(page).toHaveURL(new RegExp(`set=${set.id}&eval=${evaluation.id}`));
  await expect(tiles.filter({ hasText: "ngR" })).toHaveCount(5);
  await expect(page.getByRole("link", { name: "Image chelsea" }).getByText("Truncated")).toBeVisible();

  // "wearing" is annotated on two of the five photographs only.
  await page.getByLabel("Predicate").selectOption({ label: "wearing" });
  await expect(tiles).toHaveCount(2);
  await expect(page.getByTestId("result-count")).toContainText("2 images");
  await expect(page).toHaveURL(/predicate=48/);
  await page.reload();
  await expect(tiles).toHaveCount(2);
  await expect(page.getByLabel("Predicate")).toHaveValue("48");

  await page.getByLabel("Sort").selectOption("recall_asc");
  await expect(page).toHaveURL(/sort=recall_asc/);
  await expect(tiles.first()).toHaveAttribute("aria-label", "Image camera");
  await expect(tiles.nth(1)).toHaveAttribute("aria-label", "Image astronaut");
  await thumbnailsLoaded(page);
  await page.screenshot({ path: "test-results/browse-filtered.png", fullPage: true });

  // Failure reason: only the truncated answer.
  await page.getByLabel("Predicate").selectOption("");
  await page.getByLabel("Failure reason").selectOption("truncated");
  await expect(tiles).toHaveCount(1);
  await expect(tiles.first()).toHaveAttribute("aria-label", "Image chelsea");

  const id = await tiles.first().getAttribute("data-image-id");
  await tiles.first().click();
  await expect(page).toHaveURL(new RegExp(`/images/${id}\\?sets=${set.id}$`));
});

test("the synthetic split mounts only the rows in view, and ends its list", async ({ page, request }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  const overview = (await (await request.get("/api/datasets")).json()) as Overview;
  const split = overview.find((d) => d.name === "synthetic-shapes")!.splits[0]!;
  await page.goto(`/datasets/${split.id}/images`);
  await expect(page.getByTestId("result-count")).toHaveText("60 images");
  const mounted = await page.locator("[data-image-id]").count();
  expect(mounted).toBeGreaterThan(0);
  expect(mounted).toBeLessThan(60);
  await page.mouse.wheel(0, 20_000);
  await expect(page.getByRole("link", { name: /^Image / }).last()).toBeVisible();
  await expect(page.getByText("End of list")).toBeVisible();
  await thumbnailsLoaded(page);
  await page.screenshot({ path: "test-results/browse-synthetic.png" });
});

test("unknown split and bad requests", async ({ page, request }) => {
  const res = await page.goto("/datasets/999999/images");
  expect(res?.status()).toBe(404);
  expect((await request.get("/api/splits/999999/images")).status()).toBe(404);
  expect((await request.get("/api/splits/1/images?sort=sideways")).status()).toBe(400);
  expect((await request.get("/api/splits/1/images?cursor=nonsense")).status()).toBe(400);
});
