/** An export that cannot be written as asked (a split the format cannot hold, a missing picture, an occupied folder). */
export class ExportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ExportError";
  }
}
