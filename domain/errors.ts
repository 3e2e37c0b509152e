/** Why a command was refused; the API maps each code to a GraphQL error code. */
export type DomainErrorCode = "INVALID" | "NOT_FOUND" | "CONFLICT" | "FORBIDDEN";

export class DomainError extends Error {
  override readonly name = "DomainError";
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    /** The input field at fault, e.g. `persona.systemPrompt`. */
    readonly field?: string,
  ) {
    super(message);
  }
}

export const invalid = (field: string, message: string): DomainError =>
  new DomainError("INVALID", `${field}: ${message}`, field);
export const conflict = (message: string): DomainError => new DomainError("CONFLICT", message);
export const notFound = (message: string): DomainError => new DomainError("NOT_FOUND", message);

/**
 * A command the aggregate refused for where it stands, with one of the given codes: what a worker that
 * answers an event expects when the world moved on meanwhile (the clone was deleted: NOT_FOUND; the run
 * was cancelled: CONFLICT), as opposed to a failure.
 */
export type Refusal<C extends DomainErrorCode = DomainErrorCode> = DomainError & { readonly code: C };

export const isRefusal = <C extends DomainErrorCode>(
  error: unknown,
  codes: readonly C[],
): error is Refusal<C> =>
  error instanceof DomainError && (codes as readonly DomainErrorCode[]).includes(error.code);

/** A guard for refusals with the given codes, e.g. `refusedWith("NOT_FOUND")`. */
export const refusedWith =
  <C extends DomainErrorCode>(...codes: C[]) =>
  (error: unknown): error is Refusal<C> =>
    isRefusal(error, codes);
