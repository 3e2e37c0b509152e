import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { streamHead } from "./streamHead.js";

async function readAll(stream: AsyncIterable<Uint8Array>): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks).toString();
}

describe("streamHead", () => {
  it("gives the first bytes across chunks and the whole stream again", async () => {
    const source = (async function* () {
      yield* ["A", "C", "E1rest", "-more"].map((s) => Buffer.from(s));
    })();
    const { head, body } = await streamHead(source, 4);
    assert.equal(head.toString(), "ACE1");
    assert.equal(await readAll(body), "ACE1rest-more");
  });

  it("gives what there is of a stream shorter than the head", async () => {
    const { head, body } = await streamHead(
      (async function* () {
        yield Buffer.from("ab");
      })(),
      4,
    );
    assert.equal(head.toString(), "ab");
    assert.equal(await readAll(body), "ab");
  });

  it("releases the source when the reader stops early", async () => {
    let released = false;
    const source = (async function* () {
      try {
        for (let i = 0; i < 100; i++) yield Buffer.from(`chunk${i}`);
      } finally {
        released = true;
      }
    })();
    const { body } = await streamHead(source, 4);
    for await (const _ of body) break;
    assert.equal(released, true);
  });
});
