import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import pg from "pg";
import { AUTH_STATE } from "./global-setup";

// Ground truth is edited on the last synthetic-shapes/val images only: the other specs read the real
// sample's and the first synthetic images' ground truth as seeded.

interface KonvaNode {
  getAttr(name: string): unknown;
  getClientRect(): { x: number; y: number; width: number; height: number };
}
interface KonvaStage {
  id(): string;
  find(selector: string): KonvaNode[];
}
/** The editing canvas's Konva stage (the page may hold a second one, the revision diff). */
type KonvaWindow = { Konva?: { stages: KonvaStage[] } };

interface Gt {
  width: number;
  height: number;
  objects: { id: string; bbox: [number, number, number, number] }[];
  relationships: { subject: string; predicate: string; object: string }[];
}

const env = { ...process.env, DATABASE_URL: process.env.DATABASE_URL, SGG_DATA_DIR: process.env.SGG_DATA_DIR };
const sgg = (...args: string[]) => execFileSync(path.resolve("bin/sgg"), args, { env, encoding: "utf8" });

let images: { id: number; imageKey: string }[] = [];

test.beforeAll(async () => {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    const rows = await client.query<{ id: number; imageKey: string }>(
      `SELECT i.id, i."imageKey" FROM "Image" i JOIN "Split" s ON s.id = i."splitId" JOIN "Dataset" d ON d.id = s."datasetId"
       WHERE d.name = 'synthetic-shapes' AND s.name = 'val' AND i."relationCount" > 0 AND i."objectCount" >= 3 ORDER BY i.id DESC LIMIT 4`,
    );
    images = rows.rows;
  } finally {
    await client.end();
  }
});

async function gtOf(page: Page, id: number): Promise<Gt> {
  const res = await page.request.get(`/api/images/${id}`);
  expect(res.ok()).toBe(true);
  return ((await res.json()) as { gt: Gt }).gt;
}

/** Opens the editor and waits until Konva has drawn every box of the current graph. */
async function openEditor(page: Page, id: number, boxes: number) {
  await page.goto(`/images/${id}?edit=1`);
  await expect(page.getByRole("toolbar", { name: "Ground-truth editing" })).toBeVisible();
  await page.waitForFunction((n) => (window as unknown as KonvaWindow).Konva?.stages.find((s) => s.id() === "annotation-stage")?.find(".edit-box").length === n, boxes);
}

const editBoxes = (page: Page) => page.evaluate(() => (window as unknown as KonvaWindow).Konva!.stages.find((s) => s.id() === "annotation-stage")!.find(".edit-box").length);

/** Where a box of the draft is on the screen. */
async function boxOnScreen(page: Page, objectId: string) {
  const r = await page.evaluate(
    (oid) =>
      (window as unknown as KonvaWindow)
        .Konva!.stages.find((s) => s.id() === "annotation-stage")!
        .find(".edit-box")
        .find((n) => n.getAttr("objectId") === oid)!
        .getClientRect(),
    objectId,
  );
  const canvas = (await page.locator('[data-mode] canvas').first().boundingBox())!;
  return { x: canvas.x + r.x, y: canvas.y + r.y, width: r.width, height: r.height };
}

const state = (page: Page) => page.getByTestId("editor-state");

test("draw a box, label it, relate it, save, and find it again after a reload", async ({ page }) => {
  const { id } = images[0]!;
  const gt = await gtOf(page, id);
  // The new box takes the next free umbrella number (the image may already hold umbrellas).
  const added = `umbrella.${1 + Math.max(0, ...gt.objects.map((o) => /^umbrella\.(\d+)$/.exec(o.id)).map((m) => (m ? Number(m[1]) : 0)))}`;
  await openEditor(page, id, gt.objects.length);
  await expect(state(page)).toHaveText(/saved · revision 0/);

  // b, then a drag on the picture draws a box; the label picker opens with type-ahead.
  await page.keyboard.press("b");
  const canvas = (await page.locator("[data-mode] canvas").first().boundingBox())!;
  await page.mouse.move(canvas.x + canvas.width * 0.4, canvas.y + canvas.height * 0.4);
  await page.mouse.down();
  await page.mouse.move(canvas.x + canvas.width * 0.5, canvas.y + canvas.height * 0.5, { steps: 5 });
  await page.mouse.up();
  const picker = page.getByRole("dialog", { name: "Label for the new box" });
  await expect(picker).toBeVisible();
  // A label outside the vocabulary is warned about before it is used.
  await picker.getByRole("combobox").fill("zebracorn");
  await expect(picker.getByRole("alert")).toContainText("not in the VG150 vocabulary");
  await picker.getByRole("combobox").fill("umbrel");
  await expect(picker.getByRole("option").first()).toHaveText("umbrella");
  await page.keyboard.press("Enter");
  await expect(page.getByTestId(`object-${added}`)).toBeVisible();
  expect(await editBoxes(page)).toBe(gt.objects.length + 1);
  await expect(state(page)).toHaveText(/unsaved changes/);

  // r with the new box selected makes it the subject; the object comes from the list; then the predicate.
  await page.keyboard.press("r");
  const other = gt.objects[0]!.id;
  await page.getByTestId(`object-${other}`).getByRole("button").first().click();
  const predicate = page.getByRole("dialog", { name: `Predicate: ${added} → ${other}` });
  await predicate.getByRole("combobox").fill("near");
  await page.keyboard.press("Enter");
  const relations = page.getByRole("region", { name: "Relations" });
  await expect(relations).toContainText(`${added} near ${other}`);

  await page.keyboard.press("Control+s");
  // The first save records the imported graph as revision 1 and the edit as revision 2.
  await expect(page.getByRole("status").filter({ hasText: "Saved as revision 2." })).toBeVisible();
  await expect(state(page)).toHaveText(/saved · revision 2/);
  await page.screenshot({ path: "test-results/annotation-saved.png" });

  await page.reload();
  await openEditor(page, id, gt.objects.length + 1);
  await expect(page.getByTestId(`object-${added}`)).toBeVisible();
  await expect(page.getByRole("region", { name: "Relations" })).toContainText(`${added} near ${other}`);
  const after = await gtOf(page, id);
  expect(after.relationships).toContainEqual({ subject: added, predicate: "near", object: other });

  // The history lists both revisions and draws their difference: the added box and its relation.
  await page.getByRole("button", { name: "History" }).click();
  await expect(page.getByTestId("revision-2")).toContainText("edit");
  await expect(page.getByTestId("revision-1")).toContainText("import");
  await expect(page.getByTestId("diff-legend")).toContainText("Revision 1 → 2");
  await expect(page.getByTestId("diff-legend")).toContainText("2 added");
  await page.screenshot({ path: "test-results/annotation-history.png", fullPage: true });
});

test("undo and redo every change; leaving with unsaved changes asks first", async ({ page }) => {
  const { id } = images[1]!;
  const gt = await gtOf(page, id);
  await openEditor(page, id, gt.objects.length);
  // The smallest box: nothing else is drawn over its middle.
  const first = [...gt.objects].sort((p, q) => (p.bbox[2] - p.bbox[0]) * (p.bbox[3] - p.bbox[1]) - (q.bbox[2] - q.bbox[0]) * (q.bbox[3] - q.bbox[1]))[0]!;
  const item = page.getByTestId(`object-${first.id}`);

  // Move the first box by dragging it.
  await item.getByRole("button").first().click();
  const box = await boxOnScreen(page, first.id);
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 + 30, box.y + box.height / 2 + 20, { steps: 6 });
  await page.mouse.up();
  await expect(item).not.toContainText(`[${first.bbox.join(", ")}]`);
  await expect(state(page)).toHaveText(/unsaved changes/);

  // Delete it (its relations go with it).
  await page.keyboard.press("Delete");
  await expect(item).toHaveCount(0);
  expect(await editBoxes(page)).toBe(gt.objects.length - 1);

  await page.keyboard.press("Control+z");
  await expect(item).toBeVisible();
  await expect(item).not.toContainText(`[${first.bbox.join(", ")}]`);
  await page.keyboard.press("Control+z");
  await expect(item).toContainText(`[${first.bbox.join(", ")}]`);
  await expect(state(page)).toHaveText(/saved · revision 0/);
  await page.keyboard.press("Control+Shift+z");
  await page.keyboard.press("Control+Shift+z");
  await expect(item).toHaveCount(0);
  await expect(page.getByRole("region", { name: "Relations" }).getByRole("listitem")).toHaveCount(gt.relationships.filter((r) => r.subject !== first.id && r.object !== first.id).length);

  // Leaving with unsaved changes asks, from a button and from a link; dismissing stays on the image.
  const asked: string[] = [];
  page.on("dialog", (d) => {
    asked.push(d.message());
    void d.dismiss();
  });
  await page.getByRole("button", { name: "Done editing" }).click();
  await expect.poll(() => asked.length).toBe(1);
  await page.getByRole("link", { name: "synthetic-shapes/val" }).click();
  await expect.poll(() => asked.length).toBe(2);
  expect(asked[1]).toContain("unsaved");
  expect(new URL(page.url()).pathname).toBe(`/images/${id}`);
  await page.screenshot({ path: "test-results/annotation-undo.png" });
});

test("two people save the same image: the second sees the conflict and chooses", async ({ page, browser }) => {
  const { id } = images[2]!;
  const gt = await gtOf(page, id);
  const other = await browser.newContext({ storageState: AUTH_STATE });
  const page2 = await other.newPage();
  try {
    await openEditor(page, id, gt.objects.length);
    await openEditor(page2, id, gt.objects.length);
    const [a, b] = [gt.objects[0]!.id, gt.objects[1]!.id];

    // The first saves a deletion.
    await page.getByTestId(`object-${a}`).getByRole("button", { name: `Delete ${a}` }).click();
    await page.keyboard.press("Control+s");
    await expect(state(page)).toHaveText(/saved · revision 2/);

    // The second, still on revision 0, deletes another box: refused, with both sides shown.
    await page2.getByTestId(`object-${b}`).getByRole("button", { name: `Delete ${b}` }).click();
    await page2.keyboard.press("Control+s");
    const dialog = page2.getByRole("dialog", { name: "Save conflict" });
    await expect(dialog).toBeVisible();
    await expect(dialog).toContainText("saved revision 2");
    await expect(dialog.getByTestId("conflict-mine")).toContainText(a);
    await expect(dialog.getByTestId("conflict-theirs")).toContainText(b);
    await page2.screenshot({ path: "test-results/annotation-conflict.png" });

    // Overwrite: saved on top of their revision.
    await dialog.getByRole("button", { name: /Overwrite with mine/ }).click();
    await expect(state(page2)).toHaveText(/saved · revision 3/);
    let now = await gtOf(page2, id);
    expect(now.objects.map((o) => o.id)).toContain(a);
    expect(now.objects.map((o) => o.id)).not.toContain(b);

    // The first, now behind, edits again and takes theirs instead.
    await page.getByTestId(`object-${gt.objects[2]!.id}`).getByRole("button", { name: `Delete ${gt.objects[2]!.id}` }).click();
    await page.keyboard.press("Control+s");
    await expect(page.getByRole("dialog", { name: "Save conflict" })).toBeVisible();
    await page.getByRole("button", { name: /Reload theirs/ }).click();
    await expect(state(page)).toHaveText(/saved · revision 3/);
    await expect(page.getByTestId(`object-${a}`)).toBeVisible();
    await expect(page.getByTestId(`object-${b}`)).toHaveCount(0);
    now = await gtOf(page, id);
    expect(now.objects).toHaveLength(gt.objects.length - 1);
  } finally {
    await other.close();
  }
});

test("accept a predicted triplet that ground truth lacks", async ({ page }) => {
  const { id, imageKey } = images[3]!;
  const gt = await gtOf(page, id);
  // An answer that finds every object and adds one relation the ground truth lacks.
  const [s, o] = [gt.objects[0]!.id, gt.objects[1]!.id];
  const predicate = ["near", "behind", "above", "under"].find((p) => !gt.relationships.some((r) => r.subject === s && r.object === o && r.predicate === p))!;
  const to1000 = (b: number[]) => [b[0]! / gt.width, b[1]! / gt.height, b[2]! / gt.width, b[3]! / gt.height].map((v) => Math.round(v * 1000));
  const answer = { objects: gt.objects.map((x) => ({ id: x.id, bbox: to1000(x.bbox) })), relationships: [...gt.relationships, { subject: s, predicate, object: o }] };
  const dir = mkdtempSync(path.join(tmpdir(), "sgg-review-"));
  writeFileSync(path.join(dir, `${imageKey}.json`), JSON.stringify({ image_id: imageKey, response: `<think>Every shape, and one more relation.</think>\n<answer>${JSON.stringify(answer)}</answer>`, box_scale: [1000, 1000] }));
  const out = sgg("import-predictions", "--dataset", "synthetic-shapes", "--split", "val", "--from", dir, "--name", "e2e-review", "--replace");
  const setId = Number(/prediction set (\d+)/.exec(out)![1]);

  await page.goto(`/images/${id}?sets=${setId}`);
  const pill = page.getByTitle("ground-truth triplets recalled by this prediction");
  const n = gt.relationships.length;
  await expect(pill).toHaveText(`${n}/${n} recalled`);
  const accept = page.getByRole("region", { name: "Predicted triplets" }).getByRole("button", { name: "accept (missing in GT)" });
  await expect(accept).toHaveCount(1);
  await accept.click();
  await expect(pill).toHaveText(`${n + 1}/${n + 1} recalled`);
  await expect(accept).toHaveCount(0);
  const after = await gtOf(page, id);
  expect(after.relationships).toContainEqual({ subject: s, predicate, object: o });
  await page.screenshot({ path: "test-results/annotation-accepted.png", fullPage: true });

  // Flagging a ground-truth triplet removes it.
  await page.getByRole("region", { name: "Ground-truth triplets" }).getByRole("button", { name: "flag as wrong" }).first().click();
  await expect(pill).toHaveText(`${n}/${n} recalled`);
});
