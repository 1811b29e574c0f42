import { expect, test } from "@playwright/test";

const AREAS = ["Datasets", "Predictions & evaluation", "Training runs", "Compare", "Command line"];

test("home page introduces the workbench and its areas", async ({ page }) => {
  await page.goto("/");
  await expect(page).toHaveTitle("SGG Workbench");
  await expect(page.getByRole("heading", { level: 1, name: "SGG Workbench" })).toBeVisible();
  await expect(page.getByText("teaching multimodal LLMs to write scene graphs")).toBeVisible();

  for (const area of AREAS) {
    await expect(page.getByRole("heading", { level: 2, name: area, exact: true })).toBeVisible();
  }
  await expect(page.getByText("./bin/sgg reward")).toBeVisible();
  await expect(page.getByText("./bin/sgg eval")).toBeVisible();

  // A fixed path outside Playwright's outputDir, which it empties on every run.
  await page.screenshot({ path: "test-results/home.png", fullPage: true });
});

test("health endpoint reports ok and the version", async ({ request }) => {
  const response = await request.get("/api/health");
  expect(response.ok()).toBe(true);
  const body: unknown = await response.json();
  expect(body).toEqual({ ok: true, version: expect.stringMatching(/^\d+\.\d+\.\d+/) });
});
