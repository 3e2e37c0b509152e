import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { waitFor } from "@aiclone/testing/until";
import { GraphQLTestClient, SubscriptionRecorder } from "../../testing/platform/graphqlClient.js";
import { PlatformHarness } from "../../testing/platform/platformHarness.js";

const CLONE_FIELDS =
  "id name status revision persona { displayName systemPrompt language } sources { id fileName size sha256 }";
const CREATE = `mutation ($name: String!, $key: String) { createClone(input: {name: $name}, idempotencyKey: $key) { ${CLONE_FIELDS} } }`;
const PERSONA = `mutation ($input: ConfigurePersonaInput!) { configurePersona(input: $input) { ${CLONE_FIELDS} } }`;
const UPLOAD = `mutation ($cloneId: ID!, $file: Upload!) { uploadSource(cloneId: $cloneId, file: $file) { ${CLONE_FIELDS} } }`;
const CLONE = `query ($id: ID!) { clone(id: $id) { ${CLONE_FIELDS} } }`;
const EVENTS = "query ($id: ID!) { cloneEvents(id: $id) { id type revision cloneId principal data } }";

const codeOf = (result: { errors?: { extensions?: Record<string, unknown> }[] }) =>
  result.errors?.[0]?.extensions?.code;

describe("platform API on embedded defaults", () => {
  let harness: PlatformHarness;
  let api: GraphQLTestClient;

  before(async () => {
    harness = await PlatformHarness.start();
    const key = harness.platform.initialApiKey;
    assert.ok(key, "an empty platform creates its first owner and key");
    api = new GraphQLTestClient(harness.platform.graphqlUrl, key);
  });
  after(() => harness.destroy());

  it("answers /healthz and knows who is calling", async () => {
    const health = await fetch(`${harness.platform.url}/healthz`);
    assert.equal(health.status, 200);
    const { me } = await api.data("{ me { id name keyId apiKeys { id name prefix revokedAt } } }");
    assert.equal(me.apiKeys.length, 1);
    assert.equal(me.apiKeys[0].id, me.keyId);
    assert.ok(api.token?.startsWith(me.apiKeys[0].prefix));
  });

  it("refuses missing and unknown keys with UNAUTHENTICATED", async () => {
    assert.equal(codeOf(await api.withToken(null).request("{ me { id } }")), "UNAUTHENTICATED");
    const forged = `ak_${"0".repeat(32)}_${"A".repeat(43)}`;
    assert.equal(codeOf(await api.withToken(forged).request("{ clones { totalCount } }")), "UNAUTHENTICATED");
    assert.equal(codeOf(await api.withToken("garbage").request(CREATE, { name: "x" })), "UNAUTHENTICATED");
  });

  it("createClone → configurePersona → uploadSource arrive on open subscriptions and in the timeline", async () => {
    const { createClone } = await api.data(CREATE, { name: "Клон Маши 🙂" });
    assert.equal(createClone.status, "CREATED");
    assert.equal(createClone.name, "Клон Маши 🙂");
    assert.equal(createClone.revision, 0);

    const ws = api.ws();
    const updates = new SubscriptionRecorder<any>(
      ws,
      `subscription ($id: ID!) { cloneUpdated(id: $id) { ${CLONE_FIELDS} } }`,
      {
        id: createClone.id,
      },
    );
    const events = new SubscriptionRecorder<any>(
      ws,
      "subscription ($id: ID!) { cloneEvents(id: $id) { type revision cloneId } }",
      {
        id: createClone.id,
      },
    );
    await waitForListeners(harness, 2);

    const persona = {
      displayName: "Маша",
      systemPrompt: "Ты — Маша. Пиши коротко, без заглавных.",
      language: "ru",
    };
    const configured = await api.data(PERSONA, { input: { cloneId: createClone.id, ...persona } });
    assert.equal(configured.configurePersona.status, "CONFIGURED");
    assert.deepEqual(configured.configurePersona.persona, persona);

    const content = "Маша: привет!! как дела?)\nПетя: норм\n".repeat(1000);
    const uploaded = await api.upload(UPLOAD, { cloneId: createClone.id }, "file", {
      name: "Экспорт чата.txt",
      content,
      type: "text/plain",
    });
    assert.equal(uploaded.errors, undefined, JSON.stringify(uploaded.errors));
    const source = (uploaded.data as any).uploadSource.sources[0];
    assert.equal(source.fileName, "Экспорт чата.txt");
    assert.equal(source.size, Buffer.byteLength(content));
    assert.equal(source.sha256, createHash("sha256").update(content).digest("hex"));

    const seen = await updates.waitFor(2);
    assert.deepEqual(
      seen.map((r) => [r.data?.cloneUpdated.status, r.data?.cloneUpdated.revision]),
      [
        ["CONFIGURED", 1],
        ["SOURCES_UPLOADED", 2],
      ],
    );
    assert.deepEqual(seen[0]?.data?.cloneUpdated.persona, persona);
    assert.deepEqual(
      (await events.waitFor(2)).map((r) => [r.data?.cloneEvents.type, r.data?.cloneEvents.revision]),
      [
        ["PersonaConfigured", 1],
        ["SourceUploaded", 2],
      ],
    );
    await updates.close();
    await events.close();
    await ws.dispose();

    const timeline = (await api.data(EVENTS, { id: createClone.id })).cloneEvents;
    assert.deepEqual(
      timeline.map((e: any) => [e.type, e.revision]),
      [
        ["CloneCreated", 0],
        ["PersonaConfigured", 1],
        ["SourceUploaded", 2],
      ],
    );
    assert.ok(timeline.every((e: any) => e.cloneId === createClone.id && e.principal.startsWith("owner:")));

    const stored = await harness.platform.adapters.artifacts.stat(timeline[2].data.artifactKey);
    assert.equal(stored?.sha256, source.sha256);
  });

  it("pages through clones newest first with a cursor", async () => {
    for (const name of ["первый", "второй", "третий"]) await api.data(CREATE, { name });
    const page1 = (
      await api.data("{ clones(first: 2) { totalCount nodes { name } pageInfo { hasNextPage endCursor } } }")
    ).clones;
    assert.equal(page1.totalCount, 4);
    assert.deepEqual(
      page1.nodes.map((n: any) => n.name),
      ["третий", "второй"],
    );
    assert.equal(page1.pageInfo.hasNextPage, true);
    const page2 = (
      await api.data(
        "query ($after: String) { clones(first: 2, after: $after) { nodes { name } pageInfo { hasNextPage } } }",
        {
          after: page1.pageInfo.endCursor,
        },
      )
    ).clones;
    assert.deepEqual(
      page2.nodes.map((n: any) => n.name),
      ["первый", "Клон Маши 🙂"],
    );
    assert.equal(page2.pageInfo.hasNextPage, false);
    assert.equal(codeOf(await api.request("{ clones(first: 0) { totalCount } }")), "BAD_USER_INPUT");
  });

  it("answers bad input, broken rules and unknown ids with coded errors and no stack trace", async () => {
    const { createClone } = await api.data(CREATE, { name: "правила" });
    const empty = await api.request(PERSONA, {
      input: { cloneId: createClone.id, displayName: "М", systemPrompt: "   ", language: "ru" },
    });
    assert.equal(codeOf(empty), "BAD_USER_INPUT");
    const tooLong = await api.request(PERSONA, {
      input: { cloneId: createClone.id, displayName: "М", systemPrompt: "я".repeat(8001), language: "ru" },
    });
    assert.equal(codeOf(tooLong), "BAD_USER_INPUT");
    const training = await api.request(
      "mutation ($id: ID!) { requestTraining(input: {cloneId: $id}) { id } }",
      { id: createClone.id },
    );
    assert.equal(codeOf(training), "CONFLICT");
    assert.match(training.errors?.[0]?.message ?? "", /dataset/);
    const publish = await api.request("mutation ($id: ID!) { publishClone(cloneId: $id) { id } }", {
      id: createClone.id,
    });
    assert.equal(codeOf(publish), "CONFLICT");
    const missing = await api.request(
      'mutation { publishClone(cloneId: "0190b6d2-0000-7000-8000-000000000000") { id } }',
    );
    assert.equal(codeOf(missing), "NOT_FOUND");
    assert.equal((await api.data(CLONE, { id: "not-an-id" })).clone, null);
    const invalid = await api.request("{ clone { id } }");
    assert.equal(codeOf(invalid), "GRAPHQL_VALIDATION_FAILED");
    for (const result of [empty, tooLong, training, publish, missing, invalid])
      for (const error of result.errors ?? []) assert.equal(error.extensions?.stacktrace, undefined);
  });

  it("keeps each owner's clones theirs: another owner's clone is NOT_FOUND everywhere", async () => {
    const { createClone } = await api.data(CREATE, { name: "чужой" });
    const other = await harness.platform.services.owners.createOwner("другой", {
      kind: "system",
      name: "test",
    });
    const stranger = api.withToken(other.token);
    assert.equal((await stranger.data(CLONE, { id: createClone.id })).clone, null);
    assert.equal((await stranger.data("{ clones { totalCount } }")).clones.totalCount, 0);
    assert.equal(codeOf(await stranger.request(EVENTS, { id: createClone.id })), "NOT_FOUND");
    assert.equal(
      codeOf(
        await stranger.request(PERSONA, {
          input: { cloneId: createClone.id, displayName: "x", systemPrompt: "x", language: "en" },
        }),
      ),
      "NOT_FOUND",
    );
    assert.equal(
      codeOf(
        await stranger.request("mutation ($id: ID!) { deleteClone(cloneId: $id) { id } }", {
          id: createClone.id,
        }),
      ),
      "NOT_FOUND",
    );
    const ws = stranger.ws();
    const sub = new SubscriptionRecorder<any>(
      ws,
      "subscription ($id: ID!) { cloneUpdated(id: $id) { id } }",
      { id: createClone.id },
    );
    const [refused] = await sub.waitFor(1);
    assert.equal(codeOf(refused ?? {}), "NOT_FOUND");
    await ws.dispose();
    const mine = (await api.data("{ me { apiKeys { id } } }")).me.apiKeys[0].id;
    assert.equal(
      codeOf(await stranger.request("mutation ($id: ID!) { revokeApiKey(id: $id) { id } }", { id: mine })),
      "NOT_FOUND",
    );
  });

  it("replays a mutation with the same idempotency key instead of acting twice", async () => {
    const first = (await api.data(CREATE, { name: "один раз", key: "create-once" })).createClone;
    const again = (await api.data(CREATE, { name: "один раз", key: "create-once" })).createClone;
    assert.equal(again.id, first.id);
    const reused = await api.request(CREATE, { name: "другое", key: "create-once" });
    assert.equal(codeOf(reused), "CONFLICT");
  });

  it("creates and revokes API keys; a revoked key stops working at once", async () => {
    const created = (
      await api.data('mutation { createApiKey(name: "ноутбук") { secret apiKey { id name revokedAt } } }')
    ).createApiKey;
    const laptop = api.withToken(created.secret);
    assert.equal((await laptop.data("{ me { keyId } }")).me.keyId, created.apiKey.id);
    const revoked = (
      await api.data("mutation ($id: ID!) { revokeApiKey(id: $id) { revokedAt } }", { id: created.apiKey.id })
    ).revokeApiKey;
    assert.ok(revoked.revokedAt);
    assert.equal(codeOf(await laptop.request("{ me { id } }")), "UNAUTHENTICATED");
  });

  it("deletes a clone with its uploads; its id is NOT_FOUND afterwards", async () => {
    const { createClone } = await api.data(CREATE, { name: "удалить" });
    await api.upload(UPLOAD, { cloneId: createClone.id }, "file", {
      name: "a.json",
      content: '{"messages":[]}',
    });
    const deleted = (
      await api.data("mutation ($id: ID!) { deleteClone(cloneId: $id) { status } }", { id: createClone.id })
    ).deleteClone;
    assert.equal(deleted.status, "DELETED");
    assert.equal((await api.data(CLONE, { id: createClone.id })).clone, null);
    const left = [];
    for await (const artifact of harness.platform.adapters.artifacts.list(`clones/${createClone.id}/`))
      left.push(artifact.key);
    assert.deepEqual(left, []);
  });

  it("survives a restart: nothing lost, no second key, projections caught up, writes continue", async () => {
    const before = (await api.data(`{ clones(first: 100) { totalCount nodes { ${CLONE_FIELDS} } } }`)).clones;
    await harness.stop();
    const restarted = await harness.restart();
    assert.equal(restarted.initialApiKey, null);
    api = new GraphQLTestClient(restarted.graphqlUrl, api.token);
    const afterRestart = (await api.data(`{ clones(first: 100) { totalCount nodes { ${CLONE_FIELDS} } } }`))
      .clones;
    assert.deepEqual(afterRestart, before);
    const { createClone } = await api.data(CREATE, { name: "после рестарта" });
    assert.equal(createClone.revision, 0);
  });
});

function waitForListeners(harness: PlatformHarness, count: number): Promise<void> {
  return waitFor(
    () => harness.platform.services.feed.listenerCount >= count,
    `${count} subscriptions listening`,
    5_000,
  );
}
