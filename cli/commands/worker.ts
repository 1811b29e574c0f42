import { Command, InvalidArgumentError } from "commander";
import { env } from "../../server/env";
import { JOB_NAMES, type JobName } from "../../server/jobs/job-payloads";
import { serveUntilSignal } from "../../workers/runtime/serve-until-signal";
import { withDatabase } from "../database";
import { EXIT_CODES_HELP } from "../exit-codes";
import { positiveInt } from "../parse-args";

/** `sgg worker`: a job worker in the foreground; start more on other machines with the same DATABASE_URL. */
export function workerCommand(): Command {
  return new Command("worker")
    .description("Run queued jobs (predict, train, evaluate) from the workbench database until Ctrl-C. Workers on other machines join with the same DATABASE_URL.")
    .option("--concurrency <n>", "jobs of each name to run at once (default SGG_WORKER_CONCURRENCY)", positiveInt)
    .option("--only <names>", `serve only these job names, comma-separated (${JOB_NAMES.join(", ")})`, parseJobNames)
    .addHelpText("after", EXIT_CODES_HELP)
    .action(async (o: { concurrency?: number; only?: JobName[] }) =>
      withDatabase((db) => serveUntilSignal({ databaseUrl: db.url, concurrency: o.concurrency ?? env().workers.concurrency, jobNames: o.only })),
    );
}

function parseJobNames(value: string): JobName[] {
  const names = value.split(",").map((s) => s.trim()).filter(Boolean);
  const unknown = names.filter((n) => !(JOB_NAMES as string[]).includes(n));
  if (unknown.length || names.length === 0) throw new InvalidArgumentError(`unknown job name ${unknown.join(", ") || "(none)"}; expected ${JOB_NAMES.join(", ")}`);
  return names as JobName[];
}
