/**
 * Runs tasks one after another per conversation (a chat, a channel), and different conversations side by
 * side: replies in one keep their order while a long generation there does not hold up the others (a bot
 * library's update loop handles updates one at a time, so channel handlers only enqueue here).
 */
export class ConversationQueue {
  private readonly tails = new Map<string, Promise<void>>();

  run(conversation: string, task: () => Promise<void>): Promise<void> {
    const previous = this.tails.get(conversation) ?? Promise.resolve();
    const next = previous.then(task, task);
    const tail = next.catch(() => {});
    this.tails.set(conversation, tail);
    void tail.then(() => {
      if (this.tails.get(conversation) === tail) this.tails.delete(conversation);
    });
    return next;
  }

  /** Resolves when every queued task has settled. */
  async idle(): Promise<void> {
    while (this.tails.size > 0) await Promise.all(this.tails.values());
  }
}
