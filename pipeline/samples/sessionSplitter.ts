/**
 * Cuts one chat's message stream into sessions at silences longer than `gapMs`, holding only the
 * current session. Gaps are measured on epoch milliseconds, so midnight and calendar days play no part.
 *
 * Readers give messages in file order, which is time order up to small inversions (edits, clock skew,
 * merged exports); a message earlier than the session's latest stays in the session and the session is
 * sorted when it is closed. A jump backwards by more than the gap is a different stretch of history
 * (a second export of the same chat) and starts a new session.
 */
export class SessionSplitter<T extends { timestamp: number }> {
  private current: T[] = [];
  private earliest = Number.POSITIVE_INFINITY;
  private latest = Number.NEGATIVE_INFINITY;
  /** Sessions cut because they reached `maxMessages`, not at a silence. */
  cutSessions = 0;

  constructor(
    private readonly gapMs: number,
    /** Bounds memory on a chat that never goes quiet for `gapMs`. */
    private readonly maxMessages: number,
  ) {}

  /** Adds a message; returns the session it closed, if any. */
  push(item: T): T[] | null {
    let closed: T[] | null = null;
    if (this.current.length > 0) {
      const silence =
        item.timestamp > this.latest + this.gapMs || item.timestamp < this.earliest - this.gapMs;
      if (silence) closed = this.close();
      else if (this.current.length >= this.maxMessages) {
        this.cutSessions++;
        closed = this.close();
      }
    }
    this.current.push(item);
    if (item.timestamp < this.earliest) this.earliest = item.timestamp;
    if (item.timestamp > this.latest) this.latest = item.timestamp;
    return closed;
  }

  /** Closes the open session at the end of the chat. */
  flush(): T[] | null {
    return this.current.length > 0 ? this.close() : null;
  }

  private close(): T[] {
    // Array.prototype.sort is stable: equal timestamps keep file order.
    const session = this.current.sort((a, b) => a.timestamp - b.timestamp);
    this.current = [];
    this.earliest = Number.POSITIVE_INFINITY;
    this.latest = Number.NEGATIVE_INFINITY;
    return session;
  }
}
