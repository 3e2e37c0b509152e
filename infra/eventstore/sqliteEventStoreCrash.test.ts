import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { SqliteEventStore } from "./sqliteEventStore.js";
import { withDeadline } from "./test/deadline.js";

const WRITERS = 8;
/** Acknowledged appends seen before the writer process is killed. */
const ACKS_BEFORE_KILL = 400;

/**
 * A child process appends from eight concurrent writers (group commits) and prints each event id once its append
 * resolved; it is killed with SIGKILL mid-stream. Every printed id must be in the file afterwards, and each
 * stream must be gap-free: a resolved append is committed, never just queued.
 */
const writerScript = (moduleUrl: string, file: string) => `
const { SqliteEventStore } = await import(${JSON.stringify(moduleUrl)});
const { randomUUID } = await import("node:crypto");
const store = await SqliteEventStore.open(${JSON.stringify(file)});
const writer = async (w) => {
  for (let i = 0; ; i++) {
    const id = randomUUID();
    const event = { id, type: "CrashTested", data: { w, i }, metadata: { principal: "test:crash", timestamp: new Date().toISOString() } };
    await store.append("crash-" + w, [event], i === 0 ? "no_stream" : i - 1);
    process.stdout.write(id + "\\n");
  }
};
for (let w = 0; w < ${WRITERS}; w++) void writer(w);
`;

describe("SqliteEventStore under SIGKILL", () => {
  it("keeps every append that resolved before the process was killed", async () => {
    const dir = await mkdtemp(join(tmpdir(), "sqlite-event-store-crash-"));
    const file = join(dir, "events.sqlite");
    try {
      const moduleUrl = new URL("./sqliteEventStore.js", import.meta.url).href;
      const child = spawn(process.execPath, ["--input-type=module", "-e", writerScript(moduleUrl, file)], {
        stdio: ["ignore", "pipe", "inherit"],
      });
      const acked: string[] = [];
      let buffered = "";
      const exited = new Promise<NodeJS.Signals | null>((resolve) =>
        child.on("close", (_, signal) => resolve(signal)),
      );
      child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
        buffered += chunk;
        const lines = buffered.split("\n");
        buffered = lines.pop() ?? "";
        acked.push(...lines);
        if (acked.length >= ACKS_BEFORE_KILL) child.kill("SIGKILL");
      });
      const signal = await withDeadline(exited, 60_000, "the writer process did not reach its acks");
      assert.equal(signal, "SIGKILL");
      assert.ok(acked.length >= ACKS_BEFORE_KILL);

      const store = await SqliteEventStore.open(file);
      try {
        const stored = new Set<string>();
        for (let w = 0; w < WRITERS; w++) {
          const revisions: number[] = [];
          for await (const event of store.readStream(`crash-${w}`)) {
            stored.add(event.id);
            revisions.push(event.revision);
          }
          assert.deepEqual(
            revisions,
            revisions.map((_, i) => i),
            `stream crash-${w} has no gap`,
          );
        }
        const lost = acked.filter((id) => !stored.has(id));
        assert.deepEqual(lost, [], `${lost.length} of ${acked.length} acknowledged appends lost`);
      } finally {
        await store.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
