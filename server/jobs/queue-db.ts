/**
 * pg-boss's `db` option over a Prisma transaction: a queue statement passed `{ db: queueDb(tx) }` runs
 * on that transaction's connection and commits or rolls back with the workbench's own writes.
 */
import type { Db } from "pg-boss";
import type { Prisma } from "../db/generated/client";

export function queueDb(tx: Prisma.TransactionClient): Db {
  return {
    async executeSql(text: string, values: unknown[] = []) {
      const rows = await tx.$queryRawUnsafe<Record<string, unknown>[]>(text, ...values);
      return { rows };
    },
  };
}
