/** How the documents of one collection are encrypted at rest (see SealingDocumentStore). */
export interface SealedFields {
  /**
   * The fields kept in the clear besides `_id`: the only ones filters, sorts, guards and indexes may use
   * (ids, states, revisions, times). Every other field is sealed.
   */
  plain: readonly string[];
  /** The key scope a document is sealed under, from its id (e.g. its clone's). */
  scopeOf(id: string): string;
  /** The sealed fields as they read once the scope's key is destroyed (valid values, not absent ones). */
  erased: Readonly<Record<string, unknown>>;
}

/** Which collections are sealed, by name: their fields, or null for a collection stored as it is. */
export type SealingPolicy = (collection: string) => SealedFields | null;
