import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../db/test-database";
import { enqueueJob } from "./enqueue-job";
import { getQueue, stopQueues } from "./queue";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await stopQueues();
  await db?.drop();
});

describe("enqueueJob", () => {
  it("commits the Job row and the queue job together", async () => {
    const boss = await getQueue(db.url);
    const id = await db.prisma.$transaction((tx) => enqueueJob(tx, boss, "evaluate", { predictionSetId: 7 }));
    expect(await db.prisma.job.findUnique({ where: { id } })).toMatchObject({ name: "evaluate", status: "queued" });
    const queued = await boss.getJobById("evaluate", id);
    expect(queued?.data).toEqual({ predictionSetId: 7 });
  });

  it("leaves neither behind when the domain write rolls back", async () => {
    const boss = await getQueue(db.url);
    let id = "";
    await expect(
      db.prisma.$transaction(async (tx) => {
        id = await enqueueJob(tx, boss, "evaluate", { predictionSetId: 8 });
        throw new Error("domain write failed");
      }),
    ).rejects.toThrow("domain write failed");
    expect(id).not.toBe("");
    expect(await db.prisma.job.findUnique({ where: { id } })).toBeNull();
    expect(await boss.getJobById("evaluate", id)).toBeNull();
  });

  it("rejects a payload that fails its schema before writing anything", async () => {
    const boss = await getQueue(db.url);
    await expect(
      db.prisma.$transaction((tx) => enqueueJob(tx, boss, "train", { runId: -1 })),
    ).rejects.toThrow();
    expect(await db.prisma.job.count({ where: { name: "train" } })).toBe(0);
  });
});
