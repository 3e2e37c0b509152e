import assert from "node:assert/strict";
import type { Decider, DomainEvent } from "../decider.js";
import { DomainError, type DomainErrorCode } from "../errors.js";

/** given(events).when(command).then(events) | .thenRefused(code, messagePart) — the decider test idiom. */
export function scenario<C, E extends DomainEvent, S>(decider: Decider<C, E, S>) {
  return (given: E[]) => ({
    when: (command: C) => {
      const run = () => decider.decide(command, given.reduce(decider.evolve, decider.initialState));
      return {
        then: (expected: E[]) => assert.deepEqual(run(), expected),
        thenRefused: (code: DomainErrorCode, messagePart: string | RegExp) =>
          assert.throws(run, (error: unknown) => {
            assert.ok(error instanceof DomainError, `expected a DomainError, got ${String(error)}`);
            assert.equal(error.code, code);
            if (typeof messagePart === "string")
              assert.ok(error.message.includes(messagePart), error.message);
            else assert.match(error.message, messagePart);
            return true;
          }),
        events: run,
      };
    },
  });
}
