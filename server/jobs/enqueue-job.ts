/**
 * Starts background work in the same transaction as the domain write that asks for it: the Job row
 * (what job pages show) and the pg-boss job (what workers claim) share one id and commit together, so a
 * rolled-back form submission leaves no orphan job and a committed one is never lost.
 */
import { randomUUID } from "node:crypto";
import type { PgBoss } from "pg-boss";
import type { Prisma } from "../db/generated/client";
import { jobPayloadSchemas, type JobName, type JobPayload } from "./job-payloads";

type Tx = Prisma.TransactionClient;

/** pg-boss's `db` hook: its SQL runs on the caller's transaction connection. */
function transactionDb(tx: Tx) {
  return {
    async executeSql(text: string, values: unknown[] = []) {
      const rows = await tx.$queryRawUnsafe<Record<string, unknown>[]>(text, ...values);
      return { rows };
    },
  };
}

export interface EnqueueOptions {
  createdById?: number | null;
  /** Run no earlier than this (pg-boss startAfter). */
  startAfter?: Date;
}

/** Inserts the Job row and the queue job inside `tx`; returns the shared id. The payload is validated first. */
export async function enqueueJob<N extends JobName>(tx: Tx, boss: PgBoss, name: N, payload: JobPayload<N>, options: EnqueueOptions = {}): Promise<string> {
  const data = jobPayloadSchemas[name].parse(payload) as Record<string, unknown>;
  const id = randomUUID();
  await tx.job.create({ data: { id, name, payload: data as Prisma.InputJsonValue, createdById: options.createdById ?? null } });
  const sent = await boss.send(name, data, { id, db: transactionDb(tx), ...(options.startAfter ? { startAfter: options.startAfter } : {}) });
  if (sent !== id) throw new Error(`queue refused job ${name} ${id}`);
  return id;
}
