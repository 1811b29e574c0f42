import { expect, test, type APIRequestContext } from "@playwright/test";

// scripts/e2e.sh runs a worker on the e2e database and sets this token for direct API calls.
const auth = { Authorization: `Bearer ${process.env.SGG_ADMIN_TOKEN ?? ""}` };

type Overview = { name: string; splits: { name: string; predictionSets: { id: number; name: string }[] }[] }[];

async function exampleSetId(request: APIRequestContext): Promise<number> {
  const overview = (await (await request.get("/api/datasets")).json()) as Overview;
  const split = overview.find((d) => d.name === "real-sample")!.splits.find((s) => s.name === "val")!;
  return split.predictionSets.find((s) => s.name === "example-answers")!.id;
}

async function startEvaluation(request: APIRequestContext, body: Record<string, unknown>): Promise<string> {
  const r = await request.post("/api/jobs", { headers: auth, data: { name: "evaluate", ...body } });
  expect(r.status(), await r.text()).toBe(201);
  return ((await r.json()) as { id: string }).id;
}

test("the jobs page lists an evaluate job, and its page shows the finished progress", async ({ page, request }) => {
  const setId = await exampleSetId(request);
  const id = await startEvaluation(request, { payload: { predictionSetId: setId } });

  await page.goto("/jobs");
  await expect(page.getByRole("heading", { level: 1, name: "Jobs" })).toBeVisible();
  const row = page.locator(`tr[data-job-id="${id}"]`);
  await expect(row).toContainText(`evaluate prediction set ${setId}`);
  // The list polls while anything is queued or running: the worker's result arrives without a reload.
  await expect(row.getByTestId("job-status")).toHaveText("completed", { timeout: 30_000 });
  await expect(row.getByTestId("job-percent")).toHaveText("100.0%");

  await row.getByRole("link", { name: `evaluate prediction set ${setId}` }).click();
  await expect(page).toHaveURL(`/jobs/${id}`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`evaluate prediction set ${setId}`);
  await expect(page.getByTestId("job-status")).toHaveText("completed");
  await expect(page.getByRole("progressbar", { name: "Progress" })).toHaveAttribute("aria-valuenow", "100");
  await expect(page.getByTestId("job-counts")).toHaveText("5 / 5");
  await expect(page.getByTestId("job-message")).toHaveText(/^stored as evaluation \d+$/);
  await expect(page.getByText("1 of 4")).toBeVisible();
  await expect(page.getByRole("button", { name: "Cancel" })).toHaveCount(0);
});

test("a queued job is cancelled from its page and never runs", async ({ page, request }) => {
  const setId = await exampleSetId(request);
  const later = new Date(Date.now() + 3_600_000).toISOString();
  const id = await startEvaluation(request, { payload: { predictionSetId: setId }, startAfter: later });

  await page.goto(`/jobs/${id}`);
  await expect(page.getByTestId("job-status")).toHaveText("queued");
  await expect(page.getByTestId("job-percent")).toHaveText("waiting");
  await expect(page.getByTestId("job-message")).toHaveText(`waits until ${later}`);
  await page.getByRole("button", { name: "Cancel" }).click();
  await expect(page.getByTestId("job-status")).toHaveText("cancelled");
  await expect(page.getByRole("button", { name: "Cancel" })).toHaveCount(0);

  const job = (await (await request.get(`/api/jobs/${id}`)).json()) as { status: string; attempts: number; cancelRequested: boolean };
  expect(job).toMatchObject({ status: "cancelled", attempts: 0, cancelRequested: true });
  await page.goto("/jobs?status=cancelled");
  await expect(page.locator(`tr[data-job-id="${id}"]`)).toBeVisible();
});

test("the jobs API names what is wrong with a request", async ({ request }) => {
  const bad = await request.post("/api/jobs", { headers: auth, data: { name: "evaluate", payload: { predictionSetId: "three" } } });
  expect(bad.status()).toBe(400);
  expect(((await bad.json()) as { fields: { field: string }[] }).fields.map((f) => f.field)).toEqual(["payload.predictionSetId"]);

  const train = await request.post("/api/jobs", { headers: auth, data: { name: "train", payload: { runId: 1 } } });
  expect(train.status()).toBe(422);
  expect(((await train.json()) as { fields: { field: string }[] }).fields[0]!.field).toBe("name");

  const missing = await request.post("/api/jobs", { headers: auth, data: { name: "evaluate", payload: { predictionSetId: 999_999 } } });
  expect(missing.status()).toBe(404);

  const unknown = await request.get("/api/jobs/6f1d2a9e-0d3c-4c8e-8b1a-5f0e9d7c6b5a");
  expect(unknown.status()).toBe(404);
  const anonymous = await request.post("/api/jobs/6f1d2a9e-0d3c-4c8e-8b1a-5f0e9d7c6b5a/cancel", { headers: { Authorization: "Bearer wrong-token-of-some-length" } });
  expect(anonymous.status()).toBe(401);

  const listed = (await (await request.get("/api/jobs?status=completed,failed&limit=5")).json()) as { jobs: { status: string }[] };
  expect(listed.jobs.every((j) => j.status === "completed" || j.status === "failed")).toBe(true);
  expect((await request.get("/api/jobs?status=paused")).status()).toBe(400);
});
