/**
 * react-query key factory: every client query names its data here, so invalidation is by prefix
 * (`queryKeys.images.all` drops every image page) and keys never drift between components.
 */
export const queryKeys = {
  datasets: { all: ["datasets"] as const },
  images: {
    all: ["images"] as const,
    list: (splitId: number, filters: Record<string, unknown>) => ["images", "list", splitId, filters] as const,
    detail: (imageId: number, predictionSetIds: readonly number[]) => ["images", "detail", imageId, [...predictionSetIds]] as const,
  },
  evaluations: {
    all: ["evaluations"] as const,
    detail: (id: number) => ["evaluations", "detail", id] as const,
    compare: (ids: readonly number[]) => ["evaluations", "compare", [...ids]] as const,
  },
  rewards: { score: (imageId: number, completion: string) => ["rewards", imageId, completion] as const },
};
