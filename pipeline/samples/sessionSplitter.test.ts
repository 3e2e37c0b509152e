import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { SessionSplitter } from "./sessionSplitter.js";

const hour = 3_600_000;

function split(timestamps: number[], gap = 6 * hour, max = 1000): number[][] {
  const splitter = new SessionSplitter<{ timestamp: number }>(gap, max);
  const sessions: number[][] = [];
  for (const timestamp of timestamps) {
    const closed = splitter.push({ timestamp });
    if (closed) sessions.push(closed.map((m) => m.timestamp));
  }
  const last = splitter.flush();
  if (last) sessions.push(last.map((m) => m.timestamp));
  return sessions;
}

describe("SessionSplitter", () => {
  it("splits on silences longer than the gap", () => {
    const t = Date.UTC(2024, 0, 1, 10);
    assert.deepEqual(split([t, t + hour, t + 8 * hour, t + 9 * hour]), [
      [t, t + hour],
      [t + 8 * hour, t + 9 * hour],
    ]);
  });
  it("keeps a conversation across midnight in one session (epoch ms, not days)", () => {
    const before = Date.UTC(2024, 0, 1, 23, 50);
    const after = Date.UTC(2024, 0, 2, 0, 10);
    assert.deepEqual(split([before, after]), [[before, after]]);
  });
  it("splits the same day when the silence is long", () => {
    const morning = Date.UTC(2024, 0, 1, 1, 0);
    const evening = Date.UTC(2024, 0, 1, 22, 0);
    assert.equal(split([morning, evening]).length, 2);
  });
  it("a silence of exactly the gap does not split", () => {
    const t = 0;
    assert.equal(split([t, t + 6 * hour]).length, 1);
    assert.equal(split([t, t + 6 * hour + 1]).length, 2);
  });
  it("sorts small inversions inside a session", () => {
    const t = Date.UTC(2024, 3, 1);
    assert.deepEqual(split([t, t + 120_000, t + 60_000, t + 180_000]), [
      [t, t + 60_000, t + 120_000, t + 180_000],
    ]);
  });
  it("a jump back by more than the gap starts a new session", () => {
    const t = Date.UTC(2024, 3, 10);
    assert.deepEqual(split([t, t + 1000, t - 48 * hour]), [[t, t + 1000], [t - 48 * hour]]);
  });
  it("cuts sessions at the message limit and counts the cut", () => {
    const splitter = new SessionSplitter<{ timestamp: number }>(hour, 3);
    const closed = [1, 2, 3, 4].map((timestamp) => splitter.push({ timestamp }));
    assert.deepEqual(
      closed[3]?.map((m) => m.timestamp),
      [1, 2, 3],
    );
    assert.equal(splitter.cutSessions, 1);
  });
});
