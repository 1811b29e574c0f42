import type { ComparedEvaluation, ComparedImage } from "@/server/queries/compare-evaluations";
import type { TripletFlip, TripletFlips } from "@/server/queries/triplet-flips";

export type { ComparedEvaluation, TripletFlip, TripletFlips };

/** What `GET /api/compare/image` answers. */
export type CompareImage = ComparedImage;

/** Evaluations offered in the picker. */
export interface PickableEvaluation {
  id: number;
  predictionSetName: string;
  splitId: number;
  splitLabel: string;
  flags: string;
  evaluatorVersion: string;
}
