/**
 * Runs a worker in the foreground until SIGINT or SIGTERM: the first signal stops it gracefully
 * (running handlers are aborted and their attempts go back to the queue), a second SIGINT exits at
 * once. Shared by `node --import tsx workers/main.ts` and `./bin/sgg worker`.
 */
import { startWorker, type WorkerOptions } from "./run-worker";

/** Resolves once the worker has stopped after a signal. */
export async function serveUntilSignal(options: WorkerOptions & { readonly shutdownTimeoutMs?: number }): Promise<void> {
  const log = options.log ?? ((line: string) => console.log(line));
  const worker = await startWorker({ ...options, log });
  await new Promise<void>((resolve) => {
    let stopping = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (stopping) {
        if (signal === "SIGINT") {
          log("worker: second interrupt, exiting now");
          process.exit(130);
        }
        return;
      }
      stopping = true;
      log(`worker: ${signal}, stopping (running jobs go back to the queue)`);
      worker.stop({ timeoutMs: options.shutdownTimeoutMs ?? 20_000 }).then(
        () => {
          log("worker: stopped");
          resolve();
        },
        (error: unknown) => {
          log(`worker: stop failed: ${(error as Error).message}`);
          resolve();
        },
      );
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
  });
}
