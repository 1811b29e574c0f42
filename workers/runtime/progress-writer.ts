/**
 * Turns a handler's `progress(done, total, message)` calls into Job row writes: at most one write per
 * `minIntervalMs` (handlers may report every image), the latest value always kept for the next write
 * or heartbeat, writes in order, and a failed write logged rather than thrown into the handler.
 */
import type { Prisma } from "../../server/db/generated/client";

export interface ProgressValue {
  done: number;
  total: number | null;
  message?: string;
}

/** Whole, non-negative counts; a non-finite number is rejected with the argument named. */
export function sanitizeProgress(done: number, total: number | null, message?: string): ProgressValue {
  if (!Number.isFinite(done)) throw new RangeError(`progress: done must be a finite number, got ${done}`);
  if (total !== null && !Number.isFinite(total)) throw new RangeError(`progress: total must be a finite number or null, got ${total}`);
  const d = Math.max(0, Math.round(done));
  const t = total === null ? null : Math.max(0, Math.round(total));
  return { done: d, total: t, ...(message === undefined ? {} : { message: message.slice(0, 500) }) };
}

export function progressData(value: ProgressValue): Prisma.JobUpdateManyMutationInput {
  return { progressDone: value.done, progressTotal: value.total, ...(value.message === undefined ? {} : { message: value.message }) };
}

export class ProgressWriter {
  private pending: ProgressValue | null = null;
  private lastWrite = 0;
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly write: (data: Prisma.JobUpdateManyMutationInput) => Promise<unknown>,
    private readonly log: (message: string) => void,
    private readonly minIntervalMs = 1000,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Records a value; writes now when the last write is old enough or the work is done. */
  report(done: number, total: number | null, message?: string): Promise<void> {
    let value: ProgressValue;
    try {
      value = sanitizeProgress(done, total, message);
    } catch (error) {
      this.log((error as Error).message);
      return Promise.resolve();
    }
    this.pending = value;
    const finished = value.total !== null && value.done >= value.total;
    if (finished || this.clock() - this.lastWrite >= this.minIntervalMs) return this.flush();
    return Promise.resolve();
  }

  /** The pending value as row data, cleared: the heartbeat writes it along with heartbeatAt. */
  take(): Prisma.JobUpdateManyMutationInput {
    const value = this.pending;
    this.pending = null;
    if (value) this.lastWrite = this.clock();
    return value ? progressData(value) : {};
  }

  /** Writes the pending value, if any, after earlier writes. */
  flush(): Promise<void> {
    this.chain = this.chain.then(async () => {
      const data = this.take();
      if (Object.keys(data).length === 0) return;
      try {
        await this.write(data);
      } catch (error) {
        this.log(`could not record progress: ${(error as Error).message}`);
      }
    });
    return this.chain;
  }
}
