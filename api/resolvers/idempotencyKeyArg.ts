/** The options of every mutation's optional `idempotencyKey` argument. */
export const idempotencyKeyOptions = {
  nullable: true,
  description: "Retrying with the same key returns the first outcome instead of acting twice.",
} as const;
