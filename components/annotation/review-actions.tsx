"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { queryKeys } from "@/components/query-keys";
import type { ImagePrediction } from "@/server/queries/get-image";
import type { GtRecord, GtRelation } from "@/server/scene-graph/types";
import { fetchCurrentGraph, postReview, type ReviewRequest } from "./annotation-api";
import { acceptedTriplet } from "./prediction-graph";
import styles from "./annotation.module.css";

function useReview(imageId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    // The review applies to the newest revision, read just before it is sent; a save in between is a 409.
    mutationFn: async (review: Omit<ReviewRequest, "baseRevision">) => {
      const current = await fetchCurrentGraph(imageId);
      return postReview(imageId, { ...review, baseRevision: current.revision });
    },
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.images.all });
      void queryClient.invalidateQueries({ queryKey: queryKeys.annotation.all });
      void queryClient.invalidateQueries({ queryKey: queryKeys.evaluations.all });
    },
  });
}

function ReviewButton({ label, title, testId, run, pending, error }: { label: string; title: string; testId: string; run: () => void; pending: boolean; error: Error | null }) {
  return (
    <>
      <button
        type="button"
        className={styles.reviewButton}
        data-testid={testId}
        title={title}
        disabled={pending}
        onClick={(e) => {
          // The row under the button pins on click; a review is not a pin.
          e.stopPropagation();
          run();
        }}
      >
        {pending ? "…" : label}
      </button>
      {error ? (
        <span className={styles.error} role="alert">
          {" "}
          {error.message}
        </span>
      ) : null}
    </>
  );
}

/** "accept (missing in GT)" on a predicted triplet that ground truth lacks: adds it in a new revision. */
export function AcceptTripletButton({ imageId, gt, prediction, index }: { imageId: number; gt: GtRecord; prediction: ImagePrediction; index: number }) {
  const review = useReview(imageId);
  const accepted = acceptedTriplet(gt, prediction, index);
  if (!accepted) return null;
  return (
    <ReviewButton
      label="accept (missing in GT)"
      title={`Add ${accepted.triplet.subject} ${accepted.triplet.predicate} ${accepted.triplet.object} to the ground truth${accepted.objects.length ? ` with ${accepted.objects.map((o) => o.id).join(", ")}` : ""}`}
      testId={`accept-${index}`}
      pending={review.isPending}
      error={review.error}
      run={() => review.mutate({ kind: "accepted", triplet: accepted.triplet, objects: accepted.objects, predictionSetId: prediction.predictionSetId })}
    />
  );
}

/** "flag as wrong" on a ground-truth triplet: removes it in a new revision. */
export function FlagTripletButton({ imageId, triplet, index, predictionSetId }: { imageId: number; triplet: GtRelation; index: number; predictionSetId?: number }) {
  const review = useReview(imageId);
  return (
    <ReviewButton
      label="flag as wrong"
      title={`Remove ${triplet.subject} ${triplet.predicate} ${triplet.object} from the ground truth`}
      testId={`flag-${index}`}
      pending={review.isPending}
      error={review.error}
      run={() => review.mutate({ kind: "flagged", triplet: { subject: triplet.subject, predicate: triplet.predicate, object: triplet.object }, predictionSetId })}
    />
  );
}
