/**
 * A setting that cannot work (no base URL, a key policy broken, a model folder missing or outside the
 * allowed folders). `field` is the dotted path in the create input (`settings.backend.modelDir`), so
 * forms show the message next to the field; jobs fail with it without retrying.
 */
export class InferenceSettingsError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = "InferenceSettingsError";
  }
}
