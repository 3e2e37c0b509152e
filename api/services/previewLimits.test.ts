import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { PreviewLimiter } from "./previewLimits.js";

describe("PreviewLimiter", () => {
  it("refuses past the concurrent replies of one owner, and admits again once one ends", () => {
    const limiter = new PreviewLimiter({ concurrentReplies: 2, repliesPerMinute: 100 });
    const a = limiter.admit("o1");
    const b = limiter.admit("o1");
    assert.ok(a.ok && b.ok);
    const refused = limiter.admit("o1");
    assert.equal(refused.ok, false);
    assert.equal(!refused.ok && refused.limit, "concurrentReplies");
    assert.ok(limiter.admit("o2").ok, "another owner has a count of its own");
    if (a.ok) {
      a.release();
      a.release(); // a second release counts nothing
    }
    assert.ok(limiter.admit("o1").ok);
    assert.equal(limiter.admit("o1").ok, false);
  });

  it("refuses past the replies a minute, saying when to try again", () => {
    let now = 1_000_000;
    const limiter = new PreviewLimiter({ concurrentReplies: 10, repliesPerMinute: 2 }, () => now);
    for (let i = 0; i < 2; i++) {
      const admitted = limiter.admit("o1");
      assert.ok(admitted.ok);
      admitted.release();
      now += 10_000;
    }
    const refused = limiter.admit("o1");
    assert.ok(!refused.ok);
    assert.equal(refused.limit, "repliesPerMinute");
    assert.equal(refused.retryAfterSeconds, 40);
    assert.match(refused.message, /at most 2 preview replies a minute/);
    now += 40_001;
    assert.ok(limiter.admit("o1").ok);
    limiter.prune();
  });
});
