import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { TextCoalescer } from "../textCoalescer.js";

/** A hand-driven clock: timers fire only when the test advances time. */
function fakeClock() {
  let now = 0;
  let nextId = 1;
  const timers = new Map<number, { at: number; run: () => void }>();
  return {
    clock: {
      now: () => now,
      setTimeout: (run: () => void, ms: number) => {
        const id = nextId++;
        timers.set(id, { at: now + ms, run });
        return id;
      },
      clearTimeout: (id: unknown) => {
        timers.delete(id as number);
      },
    },
    advance(ms: number) {
      now += ms;
      for (const [id, timer] of [...timers]) {
        if (timer.at > now) continue;
        timers.delete(id);
        timer.run();
      }
    },
    pending: () => timers.size,
  };
}

describe("TextCoalescer (SSE text frames at most once per interval)", () => {
  it("sends the first text at once, then joins what comes within the interval into one frame", () => {
    const time = fakeClock();
    const sent: string[] = [];
    const coalescer = new TextCoalescer((text) => sent.push(text), 50, time.clock);
    coalescer.push("При");
    assert.deepEqual(sent, ["При"]);
    time.advance(10);
    coalescer.push("вет");
    time.advance(10);
    coalescer.push(", как");
    assert.deepEqual(sent, ["При"]);
    time.advance(29);
    assert.deepEqual(sent, ["При"]);
    time.advance(1);
    assert.deepEqual(sent, ["При", "вет, как"]);
    assert.equal(time.pending(), 0);
  });

  it("sends at once when the last frame is older than the interval (slow tokens are not delayed)", () => {
    const time = fakeClock();
    const sent: string[] = [];
    const coalescer = new TextCoalescer((text) => sent.push(text), 50, time.clock);
    coalescer.push("а");
    time.advance(60);
    coalescer.push("б");
    time.advance(51);
    coalescer.push("в");
    assert.deepEqual(sent, ["а", "б", "в"]);
    assert.equal(time.pending(), 0);
  });

  it("flush() sends what is buffered at once and cancels the timer; nothing is lost or doubled", () => {
    const time = fakeClock();
    const sent: string[] = [];
    const coalescer = new TextCoalescer((text) => sent.push(text), 50, time.clock);
    coalescer.push("один ");
    coalescer.push("два ");
    coalescer.push("три");
    coalescer.flush();
    assert.deepEqual(sent, ["один ", "два три"]);
    assert.equal(time.pending(), 0);
    coalescer.flush();
    time.advance(100);
    assert.deepEqual(sent, ["один ", "два три"]);
  });

  it("with interval 0 every text is its own frame; empty texts are never sent", () => {
    const time = fakeClock();
    const sent: string[] = [];
    const coalescer = new TextCoalescer((text) => sent.push(text), 0, time.clock);
    for (const text of ["x", "", "y", "z"]) coalescer.push(text);
    coalescer.flush();
    assert.deepEqual(sent, ["x", "y", "z"]);
    assert.equal(time.pending(), 0);
  });

  it("close() drops what is buffered (the client is gone) and sends nothing more", () => {
    const time = fakeClock();
    const sent: string[] = [];
    const coalescer = new TextCoalescer((text) => sent.push(text), 50, time.clock);
    coalescer.push("a");
    coalescer.push("b");
    coalescer.close();
    time.advance(100);
    coalescer.push("c");
    coalescer.flush();
    assert.deepEqual(sent, ["a"]);
  });
});
