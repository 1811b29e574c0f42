import type { ImageGraph } from "./image-graph-schema";

/** One problem with a graph, located by its path in the graph (`objects.3.bbox`, `relationships.1.subject`). */
export interface GraphIssue {
  readonly field: string;
  readonly message: string;
}

/** The graph breaks a ground-truth rule; `issues` names every field at fault. Nothing was saved. */
export class GraphValidationError extends Error {
  constructor(readonly issues: readonly GraphIssue[]) {
    super(issues.map((i) => `${i.field}: ${i.message}`).join("; "));
    this.name = "GraphValidationError";
  }
}

/** The image's current revision as someone else left it, for the conflict view. */
export interface CurrentRevision {
  readonly revision: number;
  readonly authorName: string;
  /** When that revision was saved; for revision 0 (as ingested) when the split was ingested. */
  readonly createdAt: Date;
  readonly objects: ImageGraph["objects"];
  readonly relationships: ImageGraph["relationships"];
}

/**
 * A save started from a revision that is no longer the image's current one: someone saved in between.
 * Nothing was saved; `current` is what the image holds now.
 */
export class GraphConflictError extends Error {
  constructor(
    readonly baseRevision: number,
    readonly current: CurrentRevision,
  ) {
    super(`the graph was saved as revision ${current.revision} by ${current.authorName} since revision ${baseRevision} was loaded`);
    this.name = "GraphConflictError";
  }
}
