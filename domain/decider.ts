/** The shape of every aggregate in the domain: pure functions over a stream of events. */
export interface DomainEvent<T extends string = string, D = unknown> {
  type: T;
  data: D;
}

export interface Decider<C, E extends DomainEvent, S> {
  initialState: S;
  evolve(state: S, event: E): S;
  /** Throws DomainError when the command is refused; [] means "nothing to do" (an idempotent repeat). */
  decide(command: C, state: S): E[];
}

/** Who issues a command: a platform user (through an API key) or one of the platform's own workers. */
export type Actor = { kind: "owner"; ownerId: string; keyId?: string } | { kind: "system"; name: string };

export const principalOf = (actor: Actor): string =>
  actor.kind === "owner"
    ? `owner:${actor.ownerId}${actor.keyId ? `/key:${actor.keyId}` : ""}`
    : `system:${actor.name}`;
