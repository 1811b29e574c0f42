import { expect, test } from "@playwright/test";
import { startStubOpenAiServer, type StubServer } from "../server/inference/testing/stub-openai-server";

// The model server the worker talks to: a scripted OpenAI-compatible stub on loopback.
const STUB_PORT = 3225;
const ANSWER = '```json\n{"objects": [{"id": "car.1", "bbox": [100, 500, 400, 800]}, {"id": "tree.2", "bbox": [600, 100, 900, 700]}], "relationships": [{"subject": "car.1", "predicate": "near", "object": "tree.2"}]}\n```';

let stub: StubServer;
test.beforeAll(async () => {
  stub = await startStubOpenAiServer((_, n) => (n === 1 && stub.requests.length === 2 ? { status: 503 } : { content: ANSWER, usage: { prompt_tokens: 812, completion_tokens: 64 } }), STUB_PORT);
});
test.afterAll(async () => {
  await stub?.close();
});

test("starts a prediction run from the form, follows it to its evaluation, and shows a server field error in place", async ({ page }) => {
  test.setTimeout(120_000);
  const name = `e2e stub ${Date.now()}`;
  await page.goto("/predict");
  await expect(page.getByRole("heading", { level: 1, name: "Predict" })).toBeVisible();

  const form = page.getByRole("form", { name: "Start a prediction run" });
  // The browser's own check: a missing model name is shown next to its field, nothing is sent.
  await form.getByLabel("Prediction set name").fill(name);
  const split = form.getByLabel("Split");
  await split.selectOption((await split.locator("option", { hasText: "synthetic-shapes/val" }).getAttribute("value"))!);
  await form.getByLabel("Image limit").fill("3");
  await form.getByLabel("Base URL").fill(stub.url);
  await form.getByLabel("API key").selectOption("none");
  await form.getByRole("button", { name: "Start prediction run" }).click();
  await expect(page.locator('[data-field="model"]').getByRole("alert")).toHaveText("name the model the server serves");
  expect(stub.requests).toHaveLength(0);

  await form.getByLabel("Model name").fill("stub-vl");
  await form.getByRole("button", { name: "Start prediction run" }).click();
  const status = page.getByRole("region", { name: "Prediction run" });
  await expect(status.getByRole("heading")).toContainText(`“${name}” on synthetic-shapes/val`);
  const jobLink = status.getByRole("link", { name: "Job page" });
  await expect(jobLink).toHaveAttribute("href", /^\/jobs\/[0-9a-f-]{36}$/);

  // The worker answers the three images (one 503 retried), completes the set and queues its evaluation.
  await expect(status).toHaveAttribute("data-status", "complete", { timeout: 90_000 });
  await expect(status).toContainText("3 of 3 images answered, 0 failed");
  const evaluation = status.getByRole("link", { name: "Open the evaluation" });
  await expect(evaluation).toBeVisible({ timeout: 60_000 });
  expect(stub.requests.length).toBe(4);
  expect(stub.requests.every((r) => r.body.model === "stub-vl" && r.authorization === undefined)).toBe(true);

  // The same name again: the server refuses it and the message sits next to the name field.
  await form.getByLabel("Prediction set name").fill(name);
  await form.getByRole("button", { name: "Start prediction run" }).click();
  await expect(page.locator('[data-field="name"]').getByRole("alert")).toHaveText(`a prediction set named "${name}" already exists on synthetic-shapes/val`);

  await evaluation.click();
  await expect(page).toHaveURL(/\/evaluations\/\d+$/);
  await expect(page.getByText(name).first()).toBeVisible();
});
