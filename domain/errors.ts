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
