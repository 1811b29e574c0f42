import type { Prisma, PrismaClient } from "../db/generated/client";
import { NotFoundError } from "../queries/find-split";
import { reviewSummary, type ReviewSummary } from "./review-summary";

export interface EvaluationAtVersion {
  readonly id: number;
  /** The split's GT version the evaluation read ground truth at (0: as ingested). */
  readonly gtVersion: number;
  /** Whether that is the split's current GT version. */
  readonly current: boolean;
  readonly compatKey: string;
  readonly evaluatorVersion: string;
  readonly createdAt: Date;
  /** Recall and mean recall without a cut-off (fractions in [0, 1]), null when not stored. */
  readonly recall: number | null;
  readonly meanRecall: number | null;
  readonly summary: Prisma.JsonValue;
}

export interface EvaluationVersions {
  readonly predictionSetId: number;
  readonly splitId: number;
  readonly currentGtVersion: number;
  /** Oldest GT version first; one per (GT version, compatibility flags, evaluator version). */
  readonly evaluations: EvaluationAtVersion[];
  /** Triplets of the split accepted from predictions and flagged in review. */
  readonly reviews: ReviewSummary;
}

/**
 * A prediction set's evaluations per GT version, for setting recall against the original ground
 * truth beside recall against the reviewed one. Throws NotFoundError for an unknown set.
 */
export async function evaluationVersions(prisma: PrismaClient, predictionSetId: number): Promise<EvaluationVersions> {
  const set = await prisma.predictionSet.findUnique({
    where: { id: predictionSetId },
    select: {
      splitId: true,
      split: { select: { gtVersion: true } },
      evaluations: {
        select: { id: true, gtVersion: true, compatKey: true, evaluatorVersion: true, createdAt: true, summary: true },
        orderBy: [{ gtVersion: "asc" }, { id: "asc" }],
      },
    },
  });
  if (!set) throw new NotFoundError(`no prediction set with id ${predictionSetId}`);
  const current = set.split.gtVersion;
  return {
    predictionSetId,
    splitId: set.splitId,
    currentGtVersion: current,
    evaluations: set.evaluations.map((e) => {
      const ngr = (e.summary as { ngr?: { recall?: number | null; mean_recall?: number | null } } | null)?.ngr;
      return { ...e, current: e.gtVersion === current, recall: ngr?.recall ?? null, meanRecall: ngr?.mean_recall ?? null };
    }),
    reviews: await reviewSummary(prisma, set.splitId),
  };
}
