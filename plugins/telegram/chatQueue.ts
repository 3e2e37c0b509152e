/**
 * Runs tasks one after another per chat, and different chats side by side: replies in one chat keep
 * their order while a long generation in one chat does not hold up the others (grammY's polling loop
 * itself handles updates strictly one at a time, so handlers only enqueue here).
 */
export class ChatQueue {
  private readonly tails = new Map<string, Promise<void>>();

  run(chat: string, task: () => Promise<void>): Promise<void> {
    const previous = this.tails.get(chat) ?? Promise.resolve();
    const next = previous.then(task, task);
    const tail = next.catch(() => {});
    this.tails.set(chat, tail);
    void tail.then(() => {
      if (this.tails.get(chat) === tail) this.tails.delete(chat);
    });
    return next;
  }

  /** Resolves when every queued task has settled. */
  async idle(): Promise<void> {
    while (this.tails.size > 0) await Promise.all(this.tails.values());
  }
}
