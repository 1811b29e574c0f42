import { z } from "zod";
import { qs, RequestError } from "@/app/api/_lib/route";
import type { PrismaClient } from "@/server/db/client";
import { TrainingRunError } from "@/server/runs/training-run-error";

export const runParams = z.object({ id: qs.int.positive().max(2 ** 31 - 1) });

/**
 * A `TrainingRunError` as the HTTP answer the run pages expect: bad input (and, for the form, a split or
 * checkpoint that is not there) is a 422 naming the field, a missing run 404, a run in the wrong state 409.
 */
export function runRequestError(e: unknown, context: "form" | "run"): unknown {
  if (!(e instanceof TrainingRunError)) return e;
  if (e.reason === "conflict") return new RequestError(409, e.message, e.field);
  if (e.reason === "not-found" && context === "run") return new RequestError(404, e.message);
  return new RequestError(422, e.message, e.field);
}

/** 404 unless the run exists, so the polling routes do not answer empty data for a wrong id. */
export async function requireRun(prisma: PrismaClient, runId: number): Promise<void> {
  const run = await prisma.run.findUnique({ where: { id: runId }, select: { id: true } });
  if (!run) throw new RequestError(404, `no run with id ${runId}`);
}
