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
    versions: (predictionSetId: number) => ["evaluations", "versions", predictionSetId] as const,
  },
  annotation: {
    all: ["annotation"] as const,
    graph: (imageId: number) => ["annotation", "graph", imageId] as const,
    revisions: (imageId: number) => ["annotation", "revisions", imageId] as const,
    revision: (imageId: number, n: number) => ["annotation", "revision", imageId, n] as const,
  },
  rewards: { score: (imageId: number, completion: string) => ["rewards", imageId, completion] as const },
  predictionSets: { run: (id: number) => ["predictionSets", "run", id] as const },
  jobs: {
    all: ["jobs"] as const,
    list: (statuses: readonly string[]) => ["jobs", "list", [...statuses]] as const,
    detail: (id: string) => ["jobs", "detail", id] as const,
  },
  runs: {
    all: ["runs"] as const,
    list: ["runs", "list"] as const,
    detail: (id: number) => ["runs", "detail", id] as const,
    metrics: (id: number) => ["runs", "metrics", id] as const,
    rollouts: (id: number, step: number | null) => ["runs", "rollouts", id, step] as const,
    logs: (id: number) => ["runs", "logs", id] as const,
  },
};
