/**
 * Runs tasks one after another per Discord channel, and different channels side by side: replies in one
 * channel keep their order while a long generation there does not hold up the others.
 */
export class ChannelQueue {
  private readonly tails = new Map<string, Promise<void>>();

  run(channel: string, task: () => Promise<void>): Promise<void> {
    const previous = this.tails.get(channel) ?? Promise.resolve();
    const next = previous.then(task, task);
    const tail = next.catch(() => {});
    this.tails.set(channel, tail);
    void tail.then(() => {
      if (this.tails.get(channel) === tail) this.tails.delete(channel);
    });
    return next;
  }

  /** Resolves when every queued task has settled. */
  async idle(): Promise<void> {
    while (this.tails.size > 0) await Promise.all(this.tails.values());
  }
}
