import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { until } from "@aiclone/testing/until";
import { type Client, createClient } from "graphql-ws";
import WebSocket from "ws";
import { newId, ownerStreamId } from "../../domain/index.js";
import { type GraphQLResponse, GraphQLTestClient } from "../../testing/platform/graphqlClient.js";
import { PlatformHarness } from "../../testing/platform/platformHarness.js";

/** One query or mutation over a graphql-ws client: its result, or how the socket refused it. */
function over(client: Client, query: string): Promise<GraphQLResponse | { refused: unknown }> {
  return new Promise((resolve) => {
    let result: GraphQLResponse | undefined;
    client.subscribe(
      { query },
      {
        next: (value) => {
          result = value as GraphQLResponse;
        },
        error: (error) => resolve({ refused: error }),
        complete: () => resolve(result ?? { refused: "completed without a result" }),
      },
    );
  });
}

/** One socket for the whole test (not lazy: graphql-ws would otherwise reconnect for each operation). */
function persistentSocket(url: string, token: string): { client: Client; connections: () => number } {
  let connections = 0;
  const client = createClient({
    url: url.replace(/^http/, "ws"),
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${token}` },
    lazy: false,
    retryAttempts: 0,
    // Expected here (a revoked key's socket is closed with 4403): the tests read the close through
    // on.closed; graphql-ws's default for a non-lazy client would dump the whole CloseEvent to the log.
    onNonLazyError: () => {},
    on: { connected: () => connections++ },
  });
  return { client, connections: () => connections };
}

/** A well-formed API key that no owner has. */
const forgedKey = () =>
  `ak_${randomBytes(16).toString("hex")}_${randomBytes(32).toString("base64url").slice(0, 43)}`;

/** A bare graphql-transport-ws socket: resolves on connection_ack (acked) or on close (its code). */
function rawSocket(
  url: string,
  payload: Record<string, unknown> = {},
): Promise<{ socket: WebSocket; acked: boolean; code?: number }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url.replace(/^http/, "ws"), "graphql-transport-ws");
    socket.once("error", reject);
    socket.once("open", () => socket.send(JSON.stringify({ type: "connection_init", payload })));
    socket.on("message", (data) => {
      if (JSON.parse(String(data)).type === "connection_ack") resolve({ socket, acked: true });
    });
    socket.once("close", (code) => resolve({ socket, acked: false, code }));
  });
}

describe("a key on an open WebSocket", () => {
  let harness: PlatformHarness;
  let owner: GraphQLTestClient;
  before(async () => {
    harness = await PlatformHarness.start();
    owner = new GraphQLTestClient(harness.platform.graphqlUrl, harness.platform.initialApiKey);
  });
  after(() => harness.destroy());

  const newKey = async (name: string) =>
    (await owner.data(`mutation { createApiKey(name: "${name}") { secret apiKey { id } } }`))
      .createApiKey as {
      secret: string;
      apiKey: { id: string };
    };
  const keyNames = async () =>
    ((await owner.data("{ me { apiKeys { name } } }")).me.apiKeys as { name: string }[]).map((k) => k.name);

  it("stops working when revoked: its sockets are closed and it cannot mint a key", async () => {
    const { secret: token, apiKey: key } = await newKey("на отзыв");
    const { client: ws, connections } = persistentSocket(owner.url, token);
    const closes: number[] = [];
    ws.on("closed", (event) => closes.push((event as { code: number }).code));
    try {
      const before = await over(ws, "{ me { id } }");
      assert.ok("data" in before && before.data, JSON.stringify(before));
      assert.equal(connections(), 1);
      await owner.data("mutation ($id: ID!) { revokeApiKey(id: $id) { id } }", { id: key.id });
      await until(
        "the revoked key's socket closes",
        async () => (closes.length > 0 ? true : undefined),
        5_000,
      );
      assert.equal(closes[0], 4403);
      const minted = await over(ws, 'mutation { createApiKey(name: "воскрешение") { secret } }');
      assert.ok(!("data" in minted && minted.data), `refused: ${JSON.stringify(minted)}`);
      assert.ok(!(await keyNames()).includes("воскрешение"));
    } finally {
      await ws.dispose();
    }
  });

  it("is checked again on every operation (a revocation recorded by another API process)", async () => {
    const { secret: token, apiKey: key } = await newKey("другой процесс");
    const { client: ws, connections } = persistentSocket(owner.url, token);
    try {
      assert.ok("data" in (await over(ws, "{ me { id } }")));
      assert.ok("data" in (await over(ws, "{ me { id } }")));
      // Straight into the event log: this process's revocation hook never hears of it.
      const ownerId = (await owner.data("{ me { id } }")).me.id as string;
      await harness.platform.adapters.eventStore.append(
        ownerStreamId(ownerId),
        [
          {
            id: newId(),
            type: "ApiKeyRevoked",
            data: { ownerId, keyId: key.id },
            metadata: { principal: "system:test", timestamp: new Date().toISOString() },
          },
        ],
        "any",
      );
      await until("the read model sees the revocation", async () =>
        (await harness.platform.models.apiKeys.get(key.id))?.revokedAt ? true : undefined,
      );
      const minted = await over(ws, 'mutation { createApiKey(name: "через сокет") { secret } }');
      assert.ok(!("data" in minted && minted.data), `refused: ${JSON.stringify(minted)}`);
      assert.ok(!(await keyNames()).includes("через сокет"));
      assert.equal(connections(), 1, "all on one socket");
    } finally {
      await ws.dispose();
    }
  });
});

describe("rate limits beyond HTTP with a valid key", () => {
  let harness: PlatformHarness;
  let owner: GraphQLTestClient;
  before(async () => {
    harness = await PlatformHarness.start({
      AICLONE_API__LIMITS__REQUESTS_PER_MINUTE: "10",
      AICLONE_API__LIMITS__ANONYMOUS_WEB_SOCKETS: "3",
    });
    owner = new GraphQLTestClient(harness.platform.graphqlUrl, harness.platform.initialApiKey);
  });
  after(() => harness.destroy());

  it("counts queries and mutations over WebSocket", async () => {
    const { client: ws } = persistentSocket(owner.url, owner.token ?? "");
    try {
      let limited: GraphQLResponse | { refused: unknown } | undefined;
      for (let i = 0; i < 15 && !limited; i++) {
        const result = await over(ws, "{ me { id } }");
        if (!("data" in result && result.data)) limited = result;
      }
      assert.ok(limited, "the 11th operation of the minute over one socket is refused");
      const errors = (limited as { refused: unknown }).refused as {
        message: string;
        extensions?: { code?: string };
      }[];
      assert.equal(errors[0]?.extensions?.code, "RATE_LIMITED", JSON.stringify(limited));
      assert.match(errors[0]?.message ?? "", /10 requests per minute per API key/);
      // The socket's budget is the key's: HTTP with the same key is refused too.
      const http = await fetch(owner.url, {
        method: "POST",
        headers: { authorization: `Bearer ${owner.token}`, "content-type": "application/json" },
        body: JSON.stringify({ query: "{ me { id } }" }),
      });
      assert.equal(http.status, 429);
    } finally {
      await ws.dispose();
    }
  });

  it("gives a forged key no bucket of its own: callers without a valid key share their address's", async () => {
    let refused: Response | undefined;
    for (let i = 0; i < 15 && !refused; i++) {
      const response = await fetch(owner.url, {
        method: "POST",
        headers: { authorization: `Bearer ${forgedKey()}`, "content-type": "application/json" },
        body: JSON.stringify({ query: "{ me { id } }" }),
      });
      if (response.status === 429) refused = response;
      else await response.arrayBuffer();
    }
    assert.ok(refused, "the 11th forged key of the minute from one address is refused");
    const body = (await refused.json()) as { errors: { message: string; extensions: { code: string } }[] };
    assert.equal(body.errors[0]?.extensions.code, "RATE_LIMITED");
    assert.match(body.errors[0]?.message ?? "", /10 requests per minute per client without a valid key/);
  });

  it("caps the open WebSockets without a valid key", async () => {
    const sockets: WebSocket[] = [];
    try {
      for (let i = 0; i < 3; i++) {
        const opened = await rawSocket(
          harness.platform.graphqlUrl,
          i === 0 ? {} : { authorization: forgedKey() },
        );
        sockets.push(opened.socket);
        assert.ok(opened.acked, `socket ${i + 1} of 3 is accepted`);
      }
      const fourth = await rawSocket(harness.platform.graphqlUrl);
      sockets.push(fourth.socket);
      assert.equal(fourth.acked, false);
      assert.equal(fourth.code, 4429);
      // A valid key is not capped by them.
      const keyed = await rawSocket(harness.platform.graphqlUrl, { authorization: `Bearer ${owner.token}` });
      sockets.push(keyed.socket);
      assert.ok(keyed.acked);
      // Closing one frees its place.
      sockets[0]?.close();
      await until(
        "the closed socket is counted out",
        async () => {
          const again = await rawSocket(harness.platform.graphqlUrl);
          sockets.push(again.socket);
          return again.acked ? true : undefined;
        },
        5_000,
      );
    } finally {
      for (const socket of sockets) socket.terminate();
    }
  });
});

describe("the download routes", () => {
  let harness: PlatformHarness;
  before(async () => {
    harness = await PlatformHarness.start({ AICLONE_API__LIMITS__REQUESTS_PER_MINUTE: "10" });
  });
  after(() => harness.destroy());

  it("limits bad tokens on the /clones download routes", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 15 && !statuses.includes(429); i++) {
      const response = await fetch(`${harness.platform.url}/clones/${newId()}/bundles/latest/manifest`, {
        headers: {
          authorization: `Bearer ${i % 2 ? forgedKey() : `ait_${randomBytes(16).toString("hex")}_${"a".repeat(43)}`}`,
        },
      });
      statuses.push(response.status);
      await response.arrayBuffer();
    }
    assert.ok(statuses.includes(429), `statuses: ${statuses.join(" ")}`);
  });
});
