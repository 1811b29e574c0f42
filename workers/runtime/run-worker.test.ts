import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../server/db/test-database";
import { cancelJob } from "../../server/jobs/cancel-job";
import { enqueueJob } from "../../server/jobs/enqueue-job";
import { sweepStaleJobs } from "../../server/jobs/sweep-stale-jobs";
import { PermanentJobError, type JobHandler } from "../job-context";
import { startWorker, type WorkerHandle } from "./run-worker";
import { spawnProcessGroup } from "./spawn-process-group";
import { FAST, processAlive, sendUnchecked, waitFor } from "./test-support";

let db: TestDatabase;
let worker: WorkerHandle;
const logs: string[] = [];
/** What the test handler saw, per prediction set id. */
const seen = new Map<number, { attempts: number[]; at: number[]; aborted?: string; pids?: number[] }>();

const note = (id: number) => {
  let s = seen.get(id);
  if (!s) seen.set(id, (s = { attempts: [], at: [] }));
  return s;
};

const untilAborted = (signal: AbortSignal) =>
  new Promise<never>((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    signal.addEventListener("abort", () => reject(signal.reason), { once: true });
  });

/** Behaviour by prediction set id, so each test queues its own scenario. */
const testEvaluate: JobHandler<"evaluate"> = async ({ predictionSetId: id }, ctx) => {
  const s = note(id);
  s.attempts.push(ctx.attempt);
  s.at.push(Date.now());
  switch (id) {
    case 1: // transient failure, then success
      if (ctx.attempt === 0) throw new Error("model server not reachable yet");
      return;
    case 2:
      throw new PermanentJobError("prediction set 2 has no answers to score");
    case 3: // a running process group, stopped by a cancel
      try {
        const run = spawnProcessGroup("bash", ["-c", "sleep 300 & echo $!; echo $$; wait"], {
          signal: ctx.signal,
          killGraceMs: 1000,
          onStdoutLine: (line) => (s.pids ??= []).push(Number(line)),
        });
        await run;
        ctx.signal.throwIfAborted();
      } catch (error) {
        s.aborted = String((error as Error).name);
        throw error;
      }
      return;
    case 4: // aborted only through pg-boss's claim check
    case 6: // aborted by the worker's shutdown
      try {
        await untilAborted(ctx.signal);
      } catch (error) {
        s.aborted = String((error as Error).message);
        throw error;
      }
      return;
    case 5: // starts another job and reports progress
      await ctx.progress(5, 10, "halfway");
      await ctx.enqueue("evaluate", { predictionSetId: 7 });
      await new Promise((r) => setTimeout(r, 600));
      return;
    default:
      return;
  }
};

async function enqueue(predictionSetId: number, startAfter?: Date, createdById: number | null = null): Promise<string> {
  return db.prisma.$transaction((tx) => enqueueJob(tx, worker.boss, "evaluate", { predictionSetId }, { startAfter, createdById }));
}

const row = (id: string) => db.prisma.job.findUniqueOrThrow({ where: { id } });
/** pg-boss settles right after the Job row is written: wait for it. */
const queueState = (id: string, state: string) =>
  waitFor(`queue job ${id} to be ${state}`, async () => {
    const job = await worker.boss.getJobById("evaluate", id);
    return job?.state === state ? job : null;
  });
const finished = (id: string) => waitFor(`job ${id} to finish`, async () => {
  const r = await row(id);
  return ["completed", "failed", "cancelled"].includes(r.status) ? r : null;
});

beforeAll(async () => {
  db = await createTestDatabase();
  worker = await startWorker({ databaseUrl: db.url, concurrency: 2, handlers: { evaluate: testEvaluate }, log: (l) => logs.push(l), ...FAST });
});
afterAll(async () => {
  await worker?.stop({ timeoutMs: 2000 });
  await db?.drop();
});

describe("worker runtime on the Postgres queue", () => {
  it("retries a transient error after its backoff delay, then completes", async () => {
    const id = await enqueue(1);
    const done = await finished(id);
    expect(done).toMatchObject({ status: "completed", attempts: 2, error: null });
    const s = seen.get(1)!;
    expect(s.attempts).toEqual([0, 1]);
    // retryDelay 1 s with backoff: the retry waits at least one second.
    expect(s.at[1]! - s.at[0]!).toBeGreaterThanOrEqual(1000);
    await queueState(id, "completed");
    expect(logs.some((l) => l.includes("attempt 1 failed, will retry: model server not reachable yet"))).toBe(true);
  });

  it("fails a payload that breaks its schema at once, naming the field, without retries", async () => {
    const id = await sendUnchecked(db.prisma, worker.boss, "evaluate", { predictionSetId: "seven" });
    const done = await finished(id);
    expect(done.status).toBe("failed");
    expect(done.error).toMatch(/^invalid evaluate payload: predictionSetId: /);
    expect(await queueState(id, "failed")).toMatchObject({ retryCount: 0 });
  });

  it("fails a PermanentJobError at once and keeps its message", async () => {
    const id = await enqueue(2);
    const done = await finished(id);
    expect(done).toMatchObject({ status: "failed", attempts: 1, error: "prediction set 2 has no answers to score" });
    expect(seen.get(2)!.attempts).toEqual([0]);
    await queueState(id, "failed");
  });

  it("reports progress, keeps the heartbeat fresh and starts follow-up jobs with the same creator", async () => {
    const user = await db.prisma.user.create({ data: { username: "ada", passwordHash: "unused" } });
    const id = await enqueue(5, undefined, user.id);
    const running = await waitFor("progress", async () => {
      const r = await row(id);
      return r.progressDone === 5 ? r : null;
    });
    expect(running).toMatchObject({ status: "running", progressTotal: 10, message: "halfway", createdById: user.id });
    const later = await waitFor("a newer heartbeat", async () => {
      const r = await row(id);
      return r.heartbeatAt! > running.heartbeatAt! ? r : null;
    });
    expect(later.status).toBe("running");
    await finished(id);
    const next = await waitFor("the follow-up job", () => db.prisma.job.findFirst({ where: { payload: { equals: { predictionSetId: 7 } } } }));
    expect(await finished(next.id)).toMatchObject({ status: "completed", createdById: user.id });
    expect(seen.get(7)!.attempts).toEqual([0]);
  });

  it("cancels a queued job at once; it never runs", async () => {
    const id = await enqueue(8, new Date(Date.now() + 60_000));
    await expect(cancelJob(db.prisma, worker.boss, id)).resolves.toEqual({ id, outcome: "cancelled" });
    expect(await row(id)).toMatchObject({ status: "cancelled" });
    expect((await worker.boss.getJobById("evaluate", id))?.state).toBe("cancelled");
    await expect(cancelJob(db.prisma, worker.boss, id)).rejects.toThrow(/already cancelled/);
    expect(seen.has(8)).toBe(false);
  });

  it("cancels a running job: the handler's signal aborts and its process group is killed", async () => {
    const id = await enqueue(3);
    const pids = await waitFor("the process group to start", async () => (seen.get(3)?.pids?.length === 2 ? seen.get(3)!.pids! : null));
    expect(await Promise.all(pids.map(processAlive))).toEqual([true, true]);
    await expect(cancelJob(db.prisma, worker.boss, id)).resolves.toEqual({ id, outcome: "cancelling" });
    const done = await finished(id);
    expect(done.status).toBe("cancelled");
    expect(done.cancelRequestedAt).not.toBeNull();
    expect(seen.get(3)!.aborted).toBe("JobCancelledError");
    await waitFor("the sleeping grandchild to die", async () => !(await processAlive(pids[0]!)) && !(await processAlive(pids[1]!)), 5000);
    await queueState(id, "cancelled");
    expect(seen.get(3)!.attempts).toEqual([0]);
  });

  it("aborts the handler when pg-boss alone cancels its claim; the sweep then mirrors the queue", async () => {
    const id = await enqueue(4);
    await waitFor("job 4 to run", async () => (await row(id)).status === "running");
    await worker.boss.cancel("evaluate", id); // no Job row request: only the claim check can notice
    await waitFor("the handler to see the abort", async () => seen.get(4)?.aborted, 10_000);
    expect(seen.get(4)!.aborted).toMatch(/no longer active under this worker's claim/);
    expect((await row(id)).status).toBe("running");
    const swept = await sweepStaleJobs(db.prisma, { graceMs: 0 });
    expect(swept.changed).toContainEqual(expect.objectContaining({ id, from: "running", to: "cancelled" }));
    expect((await row(id)).status).toBe("cancelled");
  });
});

describe("worker shutdown", () => {
  it("aborts running handlers and puts their attempt back on the queue", async () => {
    const id = await enqueue(6);
    await waitFor("job 6 to run", async () => (await row(id)).status === "running");
    await worker.stop({ timeoutMs: 5000 });
    expect(seen.get(6)!.aborted).toBe("the worker stopped while this attempt ran");
    expect(await row(id)).toMatchObject({ status: "queued", error: "attempt 1 stopped: the worker shut down" });
    const [queued] = await db.prisma.$queryRaw<{ state: string }[]>`SELECT state::text FROM pgboss.job WHERE id = ${id}::uuid`;
    expect(queued?.state).toBe("retry");
  });
});
