import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { GraphQLTestClient } from "../../testing/platform/graphqlClient.js";
import { PlatformHarness } from "../../testing/platform/platformHarness.js";

/** Each limit of api.limits refuses with its own code and a message that names the limit. */
describe("API limits", () => {
  let harness: PlatformHarness;
  let api: GraphQLTestClient;
  before(async () => {
    harness = await PlatformHarness.start({
      AICLONE_API__LIMITS__MAX_DEPTH: "4",
      AICLONE_API__LIMITS__MAX_ALIASES: "3",
      AICLONE_API__LIMITS__MAX_COST: "50",
      AICLONE_API__LIMITS__REQUESTS_PER_MINUTE: "40",
      AICLONE_API__LIMITS__UPLOADS_PER_HOUR: "2",
      AICLONE_API__LIMITS__OWNER_UPLOAD_BYTES: "3000",
    });
    api = new GraphQLTestClient(harness.platform.graphqlUrl, harness.platform.initialApiKey);
  });
  after(() => harness.destroy());

  it("refuses queries that are too deep, too costly or have too many aliases", async () => {
    const deep = await api.request("{ clones { nodes { sources { inspection { chats { name } } } } } }");
    assert.equal(deep.errors?.[0]?.extensions?.code, "QUERY_TOO_DEEP");
    assert.match(deep.errors?.[0]?.message ?? "", /^Query depth limit of 4 exceeded, found 6\.$/);
    const aliases = await api.request("{ a: me { id } b: me { id } c: me { id } d: me { id } e: me { id } }");
    assert.equal(aliases.errors?.[0]?.extensions?.code, "TOO_MANY_ALIASES");
    assert.match(aliases.errors?.[0]?.message ?? "", /Aliases limit of 3 exceeded/);
    const costly = await api.request(
      "{ clones { nodes { id name status createdAt updatedAt trainingRuns { id status baseModel attempt worker error } publishedVersions { version sha256 size } installTokens { id name prefix active } } } }",
    );
    assert.equal(costly.errors?.[0]?.extensions?.code, "QUERY_TOO_COMPLEX");
    assert.match(costly.errors?.[0]?.message ?? "", /Query Cost limit of 50 exceeded/);
    const fine = await api.request("{ me { id } }");
    assert.equal(fine.errors, undefined);
  });

  it("applies the depth limit to subscriptions too", async () => {
    const ws = api.ws();
    try {
      const error = await new Promise<unknown>((resolve) => {
        ws.subscribe(
          { query: 'subscription { cloneUpdated(id: "x") { sources { inspection { chats { name } } } } }' },
          { next: () => resolve("delivered"), error: resolve, complete: () => resolve("completed") },
        );
      });
      const errors = error as { message: string; extensions?: { code?: string } }[];
      assert.ok(Array.isArray(errors), `refused: ${JSON.stringify(error)}`);
      assert.equal(errors[0]?.extensions?.code, "QUERY_TOO_DEEP");
    } finally {
      await ws.dispose();
    }
  });

  it("refuses an upload that would pass the owner's storage quota", async () => {
    const { createClone } = await api.data('mutation { createClone(input: {name: "квота"}) { id } }');
    const upload = (size: number) =>
      api.upload(
        "mutation ($id: ID!, $file: Upload!) { uploadSource(cloneId: $id, file: $file) { id } }",
        { id: createClone.id },
        "file",
        { name: "_chat.txt", content: "а".repeat(size / 2) },
      );
    assert.equal((await upload(2000)).errors, undefined);
    const over = await upload(2000);
    assert.equal(over.errors?.[0]?.extensions?.code, "QUOTA_EXCEEDED");
    assert.match(
      over.errors?.[0]?.message ?? "",
      /does not fit in the 1000 bytes left of your 3000-byte quota/,
    );
  });

  it("limits uploads per hour and requests per minute per key, with Retry-After", async () => {
    // Two uploads were spent above; the third is refused before it is read.
    const { createClone } = await api.data('mutation { createClone(input: {name: "ещё"}) { id } }');
    const third = await fetch(api.url, {
      method: "POST",
      headers: { authorization: `Bearer ${api.token}`, "content-type": "multipart/form-data; boundary=x" },
      body: "--x--",
    });
    assert.equal(third.status, 429);
    const body = (await third.json()) as { errors: { message: string; extensions: { code: string } }[] };
    assert.equal(body.errors[0]?.extensions.code, "RATE_LIMITED");
    assert.match(body.errors[0]?.message ?? "", /2 uploads per hour per API key/);
    assert.ok(createClone.id);

    let refused: Response | undefined;
    for (let i = 0; i < 60 && !refused; i++) {
      const response = await fetch(api.url, {
        method: "POST",
        headers: { authorization: `Bearer ${api.token}`, "content-type": "application/json" },
        body: JSON.stringify({ query: "{ me { id } }" }),
      });
      if (response.status === 429) refused = response;
      else await response.arrayBuffer();
    }
    assert.ok(refused, "the 41st request of the minute is refused");
    assert.ok(Number(refused.headers.get("retry-after")) >= 1);
    const limited = (await refused.json()) as { errors: { message: string; extensions: { code: string } }[] };
    assert.equal(limited.errors[0]?.extensions.code, "RATE_LIMITED");
    assert.match(limited.errors[0]?.message ?? "", /40 requests per minute per API key; retry in \d+ s/);
    // Another key has its own budget.
    const other = await harness.platform.services.owners.createOwner("другой", {
      kind: "system",
      name: "test",
    });
    assert.equal((await api.withToken(other.token).request("{ me { id } }")).errors, undefined);
  });
});
