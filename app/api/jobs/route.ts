import { z } from "zod";
import { mutation, RequestError, route } from "@/app/api/_lib/route";
import { actorUserId } from "@/server/auth/actor";
import { getPrisma } from "@/server/db/client";
import { JOB_STATUSES, listJobs } from "@/server/jobs/list-jobs";
import { jobPayloadSchemas } from "@/server/jobs/job-payloads";
import { getQueue } from "@/server/jobs/queue";
import { PredictionSetNotReadyError, startEvaluationJob } from "@/server/jobs/start-evaluation-job";

const statusList = z
  .string()
  .optional()
  .transform((s) => (s ? s.split(",").filter(Boolean) : []))
  .pipe(z.array(z.enum(JOB_STATUSES)));

/** Jobs newest first; `status=queued,running` and `name=evaluate` filter, `limit` caps (at most 500). */
export const GET = route(
  { query: z.object({ status: statusList, name: z.string().max(40).optional(), limit: z.coerce.number().int().min(1).max(500).optional() }) },
  async ({ query }) => listJobs(getPrisma(), { statuses: query.status, name: query.name, limit: query.limit }),
);

/**
 * Starts an evaluate job for a complete prediction set (predict and train jobs start from their
 * prediction set and run). `startAfter` (ISO 8601) holds it in the queue until then.
 */
export const POST = mutation(
  {
    created: true,
    body: z.object({
      name: z.string(),
      payload: z.unknown(),
      startAfter: z.iso.datetime({ offset: true }).optional(),
    }),
  },
  async ({ body, actor }) => {
    if (body.name !== "evaluate") throw new RequestError(422, `only evaluate jobs can be started here, not "${body.name}"; predict and train jobs start from their prediction set and run`, "name");
    const { payload } = z.object({ payload: jobPayloadSchemas.evaluate }).parse({ payload: body.payload });
    try {
      const id = await startEvaluationJob(getPrisma(), await getQueue(), payload.predictionSetId, {
        createdById: actorUserId(actor),
        startAfter: body.startAfter ? new Date(body.startAfter) : undefined,
      });
      return { id };
    } catch (e) {
      if (e instanceof PredictionSetNotReadyError) throw new RequestError(409, e.message, "payload.predictionSetId");
      throw e;
    }
  },
);
