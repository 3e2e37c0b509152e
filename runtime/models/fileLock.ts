/**
 * A lock file so that two runtimes starting at once do not download the same model into one part file.
 * The holder's pid is in the file; a lock whose holder is gone is taken over.
 */
import { open, readFile, rm } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";

const pidAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
};

export interface FileLock {
  release(): Promise<void>;
}

/** Tries once: the lock, or undefined when a live process holds it. */
export async function tryLock(path: string): Promise<FileLock | undefined> {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(path, "wx");
      await handle.writeFile(`${process.pid}\n`);
      await handle.close();
      return { release: () => rm(path, { force: true }) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const holder = Number.parseInt(await readFile(path, "utf8").catch(() => ""), 10);
      // An empty file is a lock being written right now; only a dead holder's lock is stale.
      if (!Number.isInteger(holder) || pidAlive(holder)) return undefined;
      await rm(path, { force: true });
    }
  }
  return undefined;
}

/** Waits until the lock is free (polling), or the signal aborts. */
export async function acquireLock(
  path: string,
  options: { signal?: AbortSignal; pollMs?: number; onWait?: () => void } = {},
): Promise<FileLock> {
  let announced = false;
  for (;;) {
    options.signal?.throwIfAborted();
    const lock = await tryLock(path);
    if (lock) return lock;
    if (!announced) options.onWait?.();
    announced = true;
    await sleep(options.pollMs ?? 250, undefined, { signal: options.signal });
  }
}
