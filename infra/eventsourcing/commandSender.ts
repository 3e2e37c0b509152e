import type { RecordedEvent } from "../eventstore/eventStore.js";
import type { CommandHandler, CommandOutcome, StreamDecider } from "./commandHandler.js";

/** What a command answers: the event (or the job started by one) it is caused by, for its metadata. */
export interface Cause {
  causationId: string;
  correlationId?: string | null;
}

/** The cause a command answering `event` carries: the event's id and its correlation id, if any. */
export const causeOf = (event: Pick<RecordedEvent, "id" | "metadata">): Cause => ({
  causationId: event.id,
  correlationId: typeof event.metadata.correlationId === "string" ? event.metadata.correlationId : null,
});

/** The command was recorded (its outcome), or refused in one of the ways the sender expects. */
export type Sent<R> = { recorded: true; outcome: CommandOutcome } | { recorded: false; refusal: R };

export interface CommandSenderOptions<C, E extends { type: string; data: unknown }, S, R> {
  commands: CommandHandler;
  decider: StreamDecider<C, E, S>;
  parse: (type: string, data: unknown) => E;
  /** The stream a command goes to. */
  streamOf: (command: C) => string;
  /** Who sends (a system actor's principal). */
  principal: string;
  /**
   * The refusals this sender expects and hands back as values (the domain's guard, e.g.
   * `refusedWith("NOT_FOUND")` from domain/errors.ts); anything else is thrown.
   */
  expected: (error: unknown) => error is R;
}

/**
 * How a worker answers the events it handles with commands: to the command's stream, as a system
 * principal, with the cause in the metadata. Refusals it expects come back typed instead of thrown, so
 * callers branch on a value rather than match error names; every other error is thrown as it was.
 * Generic over any decider, like the command handler: infra knows nothing of the domain it serves.
 */
export class CommandSender<C, E extends { type: string; data: unknown }, S, R> {
  constructor(private readonly options: CommandSenderOptions<C, E, S, R>) {}

  async send(command: C, cause: Cause): Promise<Sent<R>> {
    const { commands, decider, parse, streamOf, principal, expected } = this.options;
    try {
      const outcome = await commands.handle(streamOf(command), decider, parse, command, {
        principal,
        causationId: cause.causationId,
        ...(cause.correlationId ? { correlationId: cause.correlationId } : {}),
      });
      return { recorded: true, outcome };
    } catch (error) {
      if (expected(error)) return { recorded: false, refusal: error };
      throw error;
    }
  }
}
