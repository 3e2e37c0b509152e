import type { Projector } from "./projector.js";
import type { ReadModels } from "./readModels.js";

/**
 * Lets a command's caller read its own write: waits until the read models hold the stream at a
 * revision. Woken by the local projector when there is one, and polls the store otherwise
 * (projections running in another process).
 */
export class ReadModelWaiter {
  constructor(
    private readonly models: ReadModels,
    private readonly projector?: Projector,
    private readonly pollMs = 50,
  ) {}

  async waitFor(streamId: string, revision: number, timeoutMs = 10_000): Promise<boolean> {
    if (revision < 0) return true;
    const deadline = Date.now() + timeoutMs;
    while (true) {
      const position = await this.models.streamPositions.get(streamId);
      if (position && position._rev >= revision) return true;
      const left = deadline - Date.now();
      if (left <= 0) return false;
      await new Promise<void>((resolve) => {
        const wake = (r: number) => {
          if (r >= revision) finish();
        };
        const finish = () => {
          clearTimeout(timer);
          this.projector?.applied.off(streamId, wake);
          resolve();
        };
        const timer = setTimeout(finish, Math.min(this.pollMs, left));
        this.projector?.applied.on(streamId, wake);
      });
    }
  }
}
