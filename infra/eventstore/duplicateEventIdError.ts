/** An append carried an event id that is already stored (or repeated within the batch); ids are global dedupe keys. */
export class DuplicateEventIdError extends Error {
  override readonly name = "DuplicateEventIdError";
  constructor(
    readonly streamId: string,
    readonly eventIds: readonly string[],
  ) {
    super(`stream ${streamId}: event id already exists: ${eventIds.join(", ")}`);
  }
}
