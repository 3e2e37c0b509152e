/**
 * The one way tests and benches wait for something that happens on its own time (a subscription, a worker,
 * a network round trip): poll, and fail naming what was awaited once the deadline passes. Runtime-safe.
 */
import { setTimeout as sleep } from "node:timers/promises";

export interface PollOptions {
  /** How long to wait before failing. */
  timeoutMs?: number;
  /** The pause between two probes. */
  intervalMs?: number;
}

/** What is awaited, for the failure message; a function is called only when the wait fails. */
export type Awaited = string | (() => string);

const options = (given: number | PollOptions, defaults: Required<PollOptions>): Required<PollOptions> =>
  typeof given === "number" ? { ...defaults, timeoutMs: given } : { ...defaults, ...given };

/**
 * Polls `probe` until it returns a value (not undefined) and returns it; fails naming `what` after the
 * deadline. Default: 20 s, a probe every 100 ms.
 */
export async function until<T>(
  what: Awaited,
  probe: () => T | undefined | Promise<T | undefined>,
  timeout: number | PollOptions = {},
): Promise<T> {
  const { timeoutMs, intervalMs } = options(timeout, { timeoutMs: 20_000, intervalMs: 100 });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline)
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${typeof what === "function" ? what() : what}`,
      );
    await sleep(intervalMs);
  }
}

/**
 * Polls until `condition` holds; fails naming `what` after the deadline. Default: 5 s, a check every 10 ms
 * (end-to-end tests wait on network round trips and in-process events).
 */
export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  what: Awaited,
  timeout: number | PollOptions = {},
): Promise<void> {
  await until(what, async () => ((await condition()) ? true : undefined), {
    timeoutMs: 5_000,
    intervalMs: 10,
    ...(typeof timeout === "number" ? { timeoutMs: timeout } : timeout),
  });
}
