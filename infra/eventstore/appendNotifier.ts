/**
 * Wakes live subscriptions of one store instance as soon as that instance commits an append. A version counter
 * closes the lost-wakeup gap: a subscriber notes the version before it queries, and a wait started after an append
 * that it has not yet read returns at once instead of sleeping until the next poll.
 */
export class AppendNotifier {
  private currentVersion = 0;
  private readonly waiters = new Set<() => void>();

  get version(): number {
    return this.currentVersion;
  }

  notify(): void {
    this.currentVersion += 1;
    for (const wake of [...this.waiters]) wake();
  }

  /** Resolves on the next append after `seenVersion`, after `timeoutMs` (the cross-process poll), or on abort. */
  wait(seenVersion: number, timeoutMs: number, signal: AbortSignal): Promise<void> {
    if (this.currentVersion !== seenVersion || signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const finish = (): void => {
        clearTimeout(timer);
        this.waiters.delete(finish);
        signal.removeEventListener("abort", finish);
        resolve();
      };
      const timer = setTimeout(finish, timeoutMs);
      this.waiters.add(finish);
      signal.addEventListener("abort", finish, { once: true });
    });
  }
}
