import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { OpenSockets, socketCloseCodes } from "./openSockets.js";

const socket = () => {
  const closed: number[] = [];
  return { closed, close: (code: number) => void closed.push(code) };
};

describe("open sockets", () => {
  it("closes every socket of a revoked key and none of another", () => {
    const sockets = new OpenSockets(0);
    const [a1, a2, b] = [socket(), socket(), socket()];
    assert.ok(sockets.admit(a1, "key-a") && sockets.admit(a2, "key-a") && sockets.admit(b, "key-b"));
    sockets.forget(a2);
    sockets.closeKey("key-a");
    assert.deepEqual(a1.closed, [socketCloseCodes.keyRevoked]);
    assert.deepEqual(a2.closed, []);
    assert.deepEqual(b.closed, []);
  });

  it("caps the sockets without a key and frees a place when one closes", () => {
    const sockets = new OpenSockets(2);
    const [x, y, z] = [socket(), socket(), socket()];
    assert.ok(sockets.admit(x, null));
    assert.ok(sockets.admit(y, null));
    assert.equal(sockets.admit(z, null), false);
    assert.ok(sockets.admit(z, "key"), "a keyed socket is not capped");
    sockets.forget(x);
    assert.ok(sockets.admit(socket(), null));
    assert.equal(sockets.anonymousCount, 2);
  });
});
