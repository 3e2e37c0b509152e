/** The base model cannot be made available; the message says why and what to do. */
export class ModelUnavailableError extends Error {
  override readonly name = "ModelUnavailableError";
}
