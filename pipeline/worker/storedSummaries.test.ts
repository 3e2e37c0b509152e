import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { after, before, describe, it } from "node:test";
import { inspectionKey } from "../../domain/index.js";
import { LocalArtifactStore } from "../../infra/blobstore/localArtifactStore.js";
import { combineSummaries, inspect, type SourceSummary } from "../dataset/index.js";
import { bob, masha, me, RecordFixture } from "../dataset/test/recordFixture.js";
import { storedSummaryOf, storeSummary } from "./storedSummaries.js";

const exportOf = (source: string, withWhom: { id: string; name: string }) =>
  new RecordFixture()
    .chat("100", withWhom.name, "personal", source)
    .msg(withWhom.id, withWhom.name, "привет")
    .msg(me.id, me.name, "привет");

describe("inspection summaries stored beside the uploads", () => {
  let dir: string;
  let artifacts: LocalArtifactStore;
  let first: SourceSummary;
  let second: SourceSummary;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "summaries-"));
    artifacts = new LocalArtifactStore(dir);
    first = await inspect(exportOf("a/result.json", masha).source());
    second = await inspect(exportOf("b/result.json", bob).source());
    await storeSummary(artifacts, "c1", "s1", first);
    await storeSummary(artifacts, "c1", "s2", second);
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it("are stored under the upload's inspection key and read back as one summary of the sources", async () => {
    assert.ok(await artifacts.stat(inspectionKey("c1", "s1")));
    assert.deepEqual(await storedSummaryOf(artifacts, "c1", ["s1"]), first);
    assert.deepEqual(await storedSummaryOf(artifacts, "c1", ["s1", "s2"]), combineSummaries([first, second]));
    assert.deepEqual(await storedSummaryOf(artifacts, "c1", ["s2", "s1"]), combineSummaries([second, first]));
  });

  it("are null (inspect again) when one is missing, stored in another format or unreadable", async () => {
    assert.equal(await storedSummaryOf(artifacts, "c1", ["s1", "s9"]), null);
    assert.equal(await storedSummaryOf(artifacts, "c1", []), null);
    await artifacts.put(
      inspectionKey("c1", "s3"),
      Readable.from([Buffer.from(JSON.stringify({ format: 0, summary: first }))]),
    );
    assert.equal(await storedSummaryOf(artifacts, "c1", ["s3"]), null);
    await artifacts.put(inspectionKey("c1", "s4"), Readable.from([Buffer.from('{"format": 1, "summ')]));
    assert.equal(await storedSummaryOf(artifacts, "c1", ["s4"]), null);
  });
});
