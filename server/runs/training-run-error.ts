/**
 * A training-run request that cannot be carried out as asked: a form value that fails validation, a
 * split or checkpoint that does not exist, a run in the wrong state. `field` names the form field (dotted
 * path, e.g. "launcher.partition") so the form can point at it; routes map this to a 400 or 409.
 */
export class TrainingRunError extends Error {
  constructor(
    message: string,
    readonly field?: string,
    /** "invalid" (bad input, 400), "not-found" (404) or "conflict" (the run's state forbids it, 409). */
    readonly reason: "invalid" | "not-found" | "conflict" = "invalid",
  ) {
    super(message);
    this.name = "TrainingRunError";
  }
}
