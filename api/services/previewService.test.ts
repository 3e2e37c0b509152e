import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  PREVIEW_PIECES_TOPIC,
  PREVIEW_REQUESTS_TOPIC,
  type PreviewPiece,
  type PreviewRequest,
  parsePreviewRequest,
  previewPiece,
} from "../../domain/preview/previewProtocol.js";
import { InProcessEventBus } from "../../infra/bus/inProcessEventBus.js";
import type { CloneView } from "../../projections/views.js";
import { PreviewService } from "./previewService.js";

const owner = { ownerId: "o1", keyId: "k1" };
const stranger = { ownerId: "o2", keyId: "k2" };

const clone = {
  _id: "c1",
  ownerId: "o1",
  persona: { displayName: "Аня", systemPrompt: "Ты — Аня.", language: "ru", updatedAt: "" },
  trainingRuns: [
    {
      status: "completed",
      adapterVersion: 1,
      artifactKey: "clones/c1/training/r1/adapter.gguf",
      baseModel: "tiny",
    },
    {
      status: "COMPLETED",
      adapterVersion: 2,
      artifactKey: "clones/c1/training/r2/adapter.gguf",
      baseModel: "tiny",
    },
    { status: "failed", adapterVersion: null, artifactKey: null, baseModel: "tiny" },
  ],
} as unknown as CloneView;

const notFound = () => Object.assign(new Error("clone not found"), { extensions: { code: "NOT_FOUND" } });

/** A service over the in-process bus, with a stand-in preview process that records what it is asked. */
async function setup(options: { worker?: boolean; startTimeoutMs?: number } = {}) {
  const bus = new InProcessEventBus();
  const requests: PreviewRequest[] = [];
  if (options.worker !== false)
    await bus.subscribe(PREVIEW_REQUESTS_TOPIC, { group: "preview" }, async (m) => {
      requests.push(parsePreviewRequest(m.value));
    });
  const service = new PreviewService({
    bus,
    requireClone: async (principal, id) => {
      if (principal.ownerId !== clone.ownerId || id !== clone._id) throw notFound();
      return clone;
    },
    limits: { concurrentReplies: 1, repliesPerMinute: 10, maxMessages: 5, maxMessageChars: 100 },
    startTimeoutMs: options.startTimeoutMs ?? 10_000,
  });
  await service.start();
  const send = (piece: PreviewPiece) =>
    bus.publish(PREVIEW_PIECES_TOPIC, [{ key: piece.replyId, value: piece }]);
  return { bus, service, requests, send };
}

const hello = { cloneId: "c1", adapterVersion: 2, messages: [{ role: "user" as const, content: "привет" }] };

async function collect(iterator: AsyncIterableIterator<PreviewPiece>): Promise<PreviewPiece[]> {
  const out: PreviewPiece[] = [];
  for await (const piece of iterator) out.push(piece);
  return out;
}

describe("PreviewService", () => {
  it("sends what the preview role needs, and gives a late subscriber every piece from the first", async () => {
    const { service, requests, send } = await setup();
    const { id } = await service.startReply(owner, { ...hello, seed: 5 });
    const [request] = requests;
    assert.equal(request?.kind, "start");
    if (request?.kind !== "start") return;
    assert.deepEqual(
      [request.replyId, request.adapterKey, request.baseModel, request.persona.systemPrompt, request.seed],
      [id, "clones/c1/training/r2/adapter.gguf", "tiny", "Ты — Аня.", 5],
    );
    await send(previewPiece(id, 0, { kind: "accepted" }));
    await send(previewPiece(id, 1, { kind: "text", text: "При" }));
    await send(previewPiece(id, 1, { kind: "text", text: "При" })); // a redelivery is dropped
    await send(previewPiece(id, 2, { kind: "text", text: "вет" }));
    await send(previewPiece(id, 3, { kind: "done", finishReason: "stop", completionTokens: 2 }));
    const pieces = await collect(service.listen(owner, id));
    assert.deepEqual(
      pieces.map((p) => p.kind),
      ["accepted", "text", "text", "done"],
    );
    assert.equal(pieces.map((p) => (p.kind === "text" ? p.text : "")).join(""), "Привет");
    await service.stop();
  });

  it("hides a reply from another owner and refuses what does not exist", async () => {
    const { service } = await setup();
    await assert.rejects(service.startReply(stranger, hello), /clone not found/);
    await assert.rejects(service.startReply(owner, { ...hello, adapterVersion: 3 }), (error: Error) => {
      assert.match(error.message, /no adapter version 3; its trained versions: 1, 2/);
      return true;
    });
    await assert.rejects(
      service.startReply(owner, { ...hello, messages: [{ role: "assistant", content: "а" }] }),
      /last message must be the user's/,
    );
    const { id } = await service.startReply(owner, hello);
    assert.throws(() => service.listen(stranger, id), /not found/);
    assert.throws(() => service.listen(owner, "nope"), /not found/);
    await service.stop();
  });

  it("ends a reply no preview process takes, saying so, and frees the owner's slot", async () => {
    const { service, send } = await setup({ worker: false, startTimeoutMs: 50 });
    const { id } = await service.startReply(owner, hello);
    await assert.rejects(service.startReply(owner, hello), /at most 1 preview replies at once/);
    const pieces = await collect(service.listen(owner, id));
    assert.equal(pieces.length, 1);
    assert.match(
      pieces[0]?.kind === "error" ? pieces[0].message : "",
      /no preview process took the reply within 0 s/,
    );
    // A piece arriving after the end changes nothing.
    await send(previewPiece(id, 0, { kind: "accepted" }));
    const again = await service.startReply(owner, hello);
    assert.ok(again.id);
    await service.stop();
  });

  it("cancels the generation when the last subscriber leaves before the end", async () => {
    const { service, requests, send } = await setup();
    const { id } = await service.startReply(owner, hello);
    await send(previewPiece(id, 0, { kind: "accepted" }));
    const iterator = service.listen(owner, id);
    assert.equal((await iterator.next()).value?.kind, "accepted");
    await iterator.return?.();
    await new Promise((r) => setTimeout(r, 10));
    assert.deepEqual(
      requests.map((r) => r.kind),
      ["start", "cancel"],
    );
    await service.stop();
  });
});
