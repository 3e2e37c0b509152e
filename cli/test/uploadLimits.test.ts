import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { GraphQLTestClient } from "../../testing/platform/graphqlClient.js";
import { PlatformHarness } from "../../testing/platform/platformHarness.js";

const UPLOAD =
  "mutation ($id: ID!, $file: Upload!) { uploadSource(cloneId: $id, file: $file) { status sources { size } } }";

describe("upload limits", () => {
  let harness: PlatformHarness;
  let api: GraphQLTestClient;
  before(async () => {
    harness = await PlatformHarness.start({ AICLONE_API__UPLOAD_MAX_BYTES: "4096" });
    api = new GraphQLTestClient(harness.platform.graphqlUrl, harness.platform.initialApiKey);
  });
  after(() => harness.destroy());

  it("refuses a file over the limit with BAD_USER_INPUT and keeps nothing of it", async () => {
    const { createClone } = await api.data('mutation { createClone(input: {name: "лимит"}) { id } }');
    const result = await api.upload(UPLOAD, { id: createClone.id }, "file", {
      name: "big.txt",
      content: "я".repeat(5000),
    });
    assert.equal(result.errors?.[0]?.extensions?.code, "BAD_USER_INPUT");
    assert.match(result.errors?.[0]?.message ?? "", /limit/);
    const events = (
      await api.data("query ($id: ID!) { cloneEvents(id: $id) { type } }", { id: createClone.id })
    ).cloneEvents;
    assert.deepEqual(
      events.map((e: { type: string }) => e.type),
      ["CloneCreated"],
    );
    const left = [];
    for await (const artifact of harness.platform.adapters.artifacts.list(`clones/${createClone.id}/`))
      left.push(artifact);
    assert.deepEqual(left, []);

    const fits = await api.upload(UPLOAD, { id: createClone.id }, "file", {
      name: "ok.txt",
      content: "я".repeat(2048),
    });
    assert.equal(fits.errors, undefined, JSON.stringify(fits.errors));
    assert.equal(fits.data?.uploadSource.sources[0].size, 4096);
  });

  it("refuses a multipart upload without the CSRF preflight header", async () => {
    const form = new FormData();
    form.set("operations", JSON.stringify({ query: UPLOAD, variables: { id: "x", file: null } }));
    form.set("map", JSON.stringify({ 0: ["variables.file"] }));
    form.set("0", new Blob(["hi"]), "a.txt");
    const response = await fetch(harness.platform.graphqlUrl, {
      method: "POST",
      headers: { authorization: `Bearer ${api.token}` },
      body: form,
    });
    assert.equal(response.status, 400);
  });
});
