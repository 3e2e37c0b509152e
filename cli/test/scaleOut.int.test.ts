import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { waitFor } from "@aiclone/testing/until";
import { distributedConfig, distributedSkip } from "../../testing/platform/distributedPlatform.js";
import { GraphQLTestClient, SubscriptionRecorder } from "../../testing/platform/graphqlClient.js";
import { PlatformProcess } from "../../testing/platform/platformProcess.js";

const skip = distributedSkip("scale-out test");

describe("scale-out on Kafka, MongoDB (FerretDB) and S3: two API processes and a worker", { skip }, () => {
  let dir: string;
  let configFile: string;
  const processes: PlatformProcess[] = [];

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "aiclone-scale-"));
    configFile = join(dir, "platform.json");
    // The event store stays the SQLite file (shared by the processes of one machine, WAL); the rest is distributed.
    await writeFile(configFile, JSON.stringify(distributedConfig(dir, "scale", { dataDir: "data" })));
  });

  after(async () => {
    await Promise.all(processes.map((p) => p.stop("SIGKILL")));
    await rm(dir, { recursive: true, force: true });
  });

  it("a subscription on API process A receives what a mutation on API process B caused", async () => {
    const worker = PlatformProcess.spawn(["--config", configFile], {
      AICLONE_ROLES: "relay,projections,pipeline",
    });
    processes.push(worker);
    await worker.waitFor(/Worker running: relay, projections, pipeline/);
    const apiA = PlatformProcess.spawn(["--config", configFile], { AICLONE_ROLES: "api" });
    processes.push(apiA);
    const urlA = await apiA.graphqlUrl();
    const key = (await apiA.waitFor(/API key: (\S+)/))[1]!;
    const apiB = PlatformProcess.spawn(["--config", configFile], { AICLONE_ROLES: "api" });
    processes.push(apiB);
    const urlB = await apiB.graphqlUrl();
    assert.notEqual(urlA, urlB);
    assert.doesNotMatch(apiB.stdout, /API key:/, "the platform is initialised once");

    const a = new GraphQLTestClient(urlA, key);
    const b = new GraphQLTestClient(urlB, key);
    const { createClone } = await b.data(
      'mutation { createClone(input: {name: "Клон на двух API"}) { id status } }',
    );
    assert.equal(
      (await a.data("query ($id: ID!) { clone(id: $id) { name } }", { id: createClone.id })).clone.name,
      "Клон на двух API",
    );

    const ws = a.ws();
    const updates = new SubscriptionRecorder<any>(
      ws,
      "subscription ($id: ID!) { cloneUpdated(id: $id) { status revision } }",
      {
        id: createClone.id,
      },
    );
    // graphql-ws gives no "subscribed" signal; a mutation before the server registered the listener
    // would be missed, so keep touching the persona until the first update arrives on A.
    const persona = (round: number) => ({
      input: {
        cloneId: createClone.id,
        displayName: "Маша",
        systemPrompt: `версия ${round}`,
        language: "ru",
      },
    });
    const PERSONA =
      "mutation ($input: ConfigurePersonaInput!) { configurePersona(input: $input) { revision } }";
    for (let round = 1; updates.results.length === 0; round++) {
      assert.ok(round < 50, "no update reached API process A");
      await b.data(PERSONA, persona(round));
      await new Promise((r) => setTimeout(r, 200));
    }
    const before = updates.results.length;
    const uploaded = await b.upload(
      "mutation ($id: ID!, $file: Upload!) { uploadSource(cloneId: $id, file: $file) { status sources { size sha256 } } }",
      { id: createClone.id },
      "file",
      { name: "result.json", content: JSON.stringify({ name: "Маша", messages: [] }) },
    );
    assert.equal(uploaded.errors, undefined, JSON.stringify(uploaded.errors));
    const [last] = (await updates.waitFor(before + 1, 15_000)).slice(-1);
    assert.equal(last?.data?.cloneUpdated.status, "SOURCES_UPLOADED");
    await updates.close();
    await ws.dispose();

    // The worker process's pipeline inspects the upload: SourceInspected follows SourceUploaded.
    let types: string[] = [];
    await waitFor(
      async () => {
        const events = (
          await a.data("query ($id: ID!) { cloneEvents(id: $id) { type } }", { id: createClone.id })
        ).cloneEvents as { type: string }[];
        types = events.map((e) => e.type);
        return types.includes("SourceInspected");
      },
      () => `SourceInspected from the worker process (events: ${types.join(", ")})`,
      { timeoutMs: 30_000, intervalMs: 200 },
    );
    assert.ok(types.indexOf("SourceUploaded") < types.indexOf("SourceInspected"));
    for (const process of [apiA, apiB, worker])
      assert.equal(await process.stop("SIGTERM"), 0, process.stderr);
  });

  it("the rate limit is one limit across API processes (counted in MongoDB)", async () => {
    const env = { AICLONE_ROLES: "api", AICLONE_API__LIMITS__REQUESTS_PER_MINUTE: "10" };
    const apiC = PlatformProcess.spawn(["--config", configFile], env);
    const apiD = PlatformProcess.spawn(["--config", configFile], env);
    processes.push(apiC, apiD);
    const [urlC, urlD] = [await apiC.graphqlUrl(), await apiD.graphqlUrl()];
    // Without a key the caller is counted by address: a counter no earlier test touched.
    const ask = async (url: string) => {
      const response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query: "{ __typename }" }),
      });
      const body = (await response.json()) as { errors?: { extensions?: { code?: string } }[] };
      return response.status === 429 ? (body.errors?.[0]?.extensions?.code ?? "429") : "ok";
    };
    const onC: string[] = [];
    for (let i = 0; i < 6; i++) onC.push(await ask(urlC));
    const onD: string[] = [];
    for (let i = 0; i < 6; i++) onD.push(await ask(urlD));
    assert.deepEqual(onC, Array(6).fill("ok"));
    // Counted per process, D would let all six through.
    assert.deepEqual(onD, [...Array(4).fill("ok"), "RATE_LIMITED", "RATE_LIMITED"]);
    for (const process of [apiC, apiD]) assert.equal(await process.stop("SIGTERM"), 0, process.stderr);
  });
});
