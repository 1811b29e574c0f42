import { spawn, type ChildProcess } from "node:child_process";
import { appendFileSync, existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../server/db/test-database";
import { enqueueJob } from "../../server/jobs/enqueue-job";
import { startQueue } from "../../server/jobs/queue";
import { startWorker, type WorkerHandle } from "./run-worker";
import { FAST, waitFor } from "./test-support";

let db: TestDatabase;
let child: ChildProcess | undefined;
let second: WorkerHandle | undefined;

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  child?.kill("SIGKILL");
  await second?.stop({ timeoutMs: 2000 });
  await db?.drop();
});

/** Starts the slow worker in its own process and resolves once it is claiming jobs. */
function startSlowWorker(marker: string): Promise<ChildProcess> {
  const script = path.resolve(import.meta.dirname, "test-fixtures/slow-worker.ts");
  const proc = spawn(process.execPath, ["--import", "tsx", script, JSON.stringify({ databaseUrl: db.url, marker, fast: true })], { stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  proc.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    proc.stdout!.on("data", (d: Buffer) => d.toString().includes("ready") && resolve(proc));
    proc.on("exit", (code) => reject(new Error(`slow worker exited (${code}): ${stderr}`)));
  });
}

describe("a worker that dies mid-job", () => {
  it("loses its claim to the heartbeat monitor, and a second worker runs the job to the end", async () => {
    const marker = path.join(mkdtempSync(path.join(tmpdir(), "sgg-dead-worker-")), "attempts.log");
    child = await startSlowWorker(marker);

    const boss = await startQueue(db.url, { queueSettings: FAST.queueSettings });
    const id = await db.prisma.$transaction((tx) => enqueueJob(tx, boss, "evaluate", { predictionSetId: 1 }));
    await boss.stop({ graceful: false });
    await waitFor("the first attempt to start", async () => existsSync(marker));
    expect(readFileSync(marker, "utf8")).toBe(`attempt 0 pid ${child.pid}\n`);
    expect(await db.prisma.job.findUnique({ where: { id } })).toMatchObject({ status: "running", attempts: 1 });

    child.kill("SIGKILL");
    const killedAt = Date.now();
    second = await startWorker({
      databaseUrl: db.url,
      concurrency: 1,
      jobNames: ["evaluate"],
      handlers: { evaluate: async (_p, ctx) => appendFileSync(marker, `attempt ${ctx.attempt} pid ${process.pid}\n`) },
      log: () => {},
      ...FAST,
    });

    const done = await waitFor("the job to complete on the second worker", async () => {
      const row = await db.prisma.job.findUnique({ where: { id } });
      return row?.status === "completed" ? row : null;
    }, 55_000, 250);
    const pickedUpAfter = Date.now() - killedAt;
    expect(done.attempts).toBe(2);
    // Each attempt ran its handler once: the dead one, then the one that finished.
    expect(readFileSync(marker, "utf8")).toBe(`attempt 0 pid ${child.pid}\nattempt 1 pid ${process.pid}\n`);
    // heartbeatSeconds 10, a 10 s monitor pass and a 1-2 s retry delay bound this.
    expect(pickedUpAfter).toBeLessThan(40_000);
    console.log(`dead worker's job completed elsewhere ${(pickedUpAfter / 1000).toFixed(1)} s after the kill`);
  }, 70_000);
});
