import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { CloneEventData } from "../../domain/index.js";
import type { EventStore, RecordedEvent } from "../../infra/eventstore/eventStore.js";
import { requestedSources, withoutScratchPaths } from "./sourceFiles.js";

const sha256 = "a".repeat(64);
const uploaded = (sourceId: string, fileName: string, revision: number): RecordedEvent => ({
  id: `e${revision}`,
  streamId: "clone-c1",
  revision,
  position: String(revision),
  type: "SourceUploaded",
  data: { cloneId: "c1", sourceId, fileName, size: 1, sha256, artifactKey: `clones/c1/sources/${sourceId}` },
  metadata: { principal: "owner:o1", timestamp: "2026-01-01T00:00:00.000Z" },
});

/** A stream holding two uploads, counting how often it is read. */
function storeOf(events: RecordedEvent[]) {
  const store = {
    reads: 0,
    async *readStream(streamId: string) {
      store.reads++;
      for (const event of events) if (event.streamId === streamId) yield event;
    },
  };
  return store satisfies Pick<EventStore, "readStream">;
}

const spec = { owner: null, includeChats: [], excludeChats: [], includeContacts: [], excludeContacts: [] };

describe("the sources of a dataset request", () => {
  it("come from the event when it carries them: the stream is not read", async () => {
    const store = storeOf([uploaded("s1", "result.json", 0), uploaded("s2", "chat.txt", 1)]);
    const request: CloneEventData<"DatasetRequested"> = {
      cloneId: "c1",
      requestId: "q1",
      sourceIds: ["s2", "s1"],
      spec,
      sources: [
        { sourceId: "s1", fileName: "result.json", artifactKey: "clones/c1/sources/s1" },
        { sourceId: "s2", fileName: "chat.txt", artifactKey: "clones/c1/sources/s2" },
      ],
    };
    assert.deepEqual(await requestedSources(store, request), [
      { sourceId: "s2", fileName: "chat.txt", artifactKey: "clones/c1/sources/s2" },
      { sourceId: "s1", fileName: "result.json", artifactKey: "clones/c1/sources/s1" },
    ]);
    assert.equal(store.reads, 0);
  });

  it("are looked up in the stream for a request recorded before events carried them", async () => {
    const store = storeOf([uploaded("s1", "result.json", 0), uploaded("s2", "chat.txt", 1)]);
    const request: CloneEventData<"DatasetRequested"> = {
      cloneId: "c1",
      requestId: "q1",
      sourceIds: ["s1"],
      spec,
    };
    assert.deepEqual(await requestedSources(store, request), [
      { sourceId: "s1", fileName: "result.json", artifactKey: "clones/c1/sources/s1" },
    ]);
    assert.equal(store.reads, 1);
  });

  it("refuse a source the request does not know", async () => {
    const store = storeOf([uploaded("s1", "result.json", 0)]);
    const base = { cloneId: "c1", requestId: "q1", sourceIds: ["s1", "s9"], spec };
    await assert.rejects(requestedSources(store, base), /source s9 is not recorded/);
    await assert.rejects(
      requestedSources(store, {
        ...base,
        sources: [{ sourceId: "s1", fileName: "result.json", artifactKey: "clones/c1/sources/s1" }],
      }),
      /source s9 is not recorded/,
    );
  });
});

describe("a reason names no server path", () => {
  const dir = "data/scratch/pipeline/job-AbC123";
  it("a downloaded source's path becomes the uploaded name", () => {
    assert.equal(
      withoutScratchPaths(`not a readable zip archive: ${dir}/sources/0193-abc/Переписка с Петей.zip`, dir),
      "not a readable zip archive: Переписка с Петей.zip",
    );
    assert.equal(
      withoutScratchPaths(`${dir}/0193-abc/result.json: line 3: bad JSON`, dir),
      "result.json: line 3: bad JSON",
    );
  });
  it("any other mention of the scratch folder goes", () => {
    const scrubbed = withoutScratchPaths(`ENOENT: open '${dir}/out/x/stats.json' in ${dir}`, dir);
    assert.ok(!/\.aiclone|job-/.test(scrubbed), scrubbed);
    assert.equal(scrubbed, "ENOENT: open 'x/stats.json' in …");
  });
});
