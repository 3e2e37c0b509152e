import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { GraphQLTestClient } from "./graphqlClient.js";
import { PlatformHarness } from "./platformHarness.js";

const UPLOAD = "mutation ($id: ID!, $file: Upload!) { uploadSource(cloneId: $id, file: $file) { id } }";

/** A multipart body written by hand (fetch's FormData cannot send two files for one variable or an empty name). */
function multipart(parts: { name: string; filename?: string; content: string }[]): {
  body: string;
  contentType: string;
} {
  const boundary = "----aiclone-test-boundary";
  const body = parts
    .map(
      (part) =>
        `--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"${
          part.filename === undefined ? "" : `; filename="${part.filename}"`
        }\r\n${part.filename === undefined ? "" : "Content-Type: text/plain\r\n"}\r\n${part.content}\r\n`,
    )
    .join("");
  return { body: `${body}--${boundary}--\r\n`, contentType: `multipart/form-data; boundary=${boundary}` };
}

describe("HTTP errors outside GraphQL", () => {
  let harness: PlatformHarness;
  let api: GraphQLTestClient;
  let cloneId: string;
  before(async () => {
    harness = await PlatformHarness.start({ AICLONE_API__REQUEST_MAX_BYTES: "2048" });
    api = new GraphQLTestClient(harness.platform.graphqlUrl, harness.platform.initialApiKey);
    cloneId = (await api.data('mutation { createClone(input: {name: "ошибки"}) { id } }')).createClone.id;
  });
  after(() => harness.destroy());

  const post = (body: string, contentType: string) =>
    fetch(api.url, {
      method: "POST",
      headers: {
        authorization: `Bearer ${api.token}`,
        "content-type": contentType,
        "apollo-require-preflight": "true",
      },
      body,
    });

  /** JSON `{error: {code, message}}`, the status given, and nothing of the server's insides. */
  async function assertPlainJsonError(response: Response, status: number, code: string): Promise<void> {
    const text = await response.text();
    assert.equal(response.status, status, text);
    assert.match(response.headers.get("content-type") ?? "", /^application\/json/, text);
    const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
    assert.equal(body.error?.code, code, text);
    assert.equal(typeof body.error?.message, "string", text);
    assert.doesNotMatch(text, /\bat [^ ]+ \(|node_modules|\.js:\d+|\.ts:\d+/, `no stack: ${text}`);
    assert.ok(!text.includes(process.cwd()), `no absolute path: ${text}`);
    assert.doesNotMatch(text, /"\/(home|work|tmp|usr|root)\//, `no absolute path: ${text}`);
  }

  it("answers a malformed JSON body with JSON", async () => {
    await assertPlainJsonError(await post('{"query": "{ me { id } ', "application/json"), 400, "BAD_REQUEST");
  });

  it("answers a body over the limit with JSON", async () => {
    const big = JSON.stringify({ query: "{ me { id } }", variables: { pad: "x".repeat(4096) } });
    await assertPlainJsonError(await post(big, "application/json"), 413, "PAYLOAD_TOO_LARGE");
  });

  it("answers a bad multipart request with JSON", async () => {
    const { body, contentType } = multipart([{ name: "operations", content: "{not json" }]);
    await assertPlainJsonError(await post(body, contentType), 400, "BAD_REQUEST");
  });

  it("answers two files in one upload with JSON", async () => {
    const { body, contentType } = multipart([
      {
        name: "operations",
        content: JSON.stringify({ query: UPLOAD, variables: { id: cloneId, file: null } }),
      },
      { name: "map", content: JSON.stringify({ 0: ["variables.file"], 1: ["variables.file"] }) },
      { name: "0", filename: "a.txt", content: "один" },
      { name: "1", filename: "b.txt", content: "два" },
    ]);
    await assertPlainJsonError(await post(body, contentType), 413, "PAYLOAD_TOO_LARGE");
  });

  it("answers a path out of /assets with JSON", async () => {
    for (const path of ["/assets/..%2f..%2fpackage.json", "/assets/..%2f..", "/assets/nothing-here.js"]) {
      const response = await fetch(`${harness.platform.url}${path}`);
      assert.ok([400, 403, 404].includes(response.status), `${path}: ${response.status}`);
      await assertPlainJsonError(
        response,
        response.status,
        response.status === 404 ? "NOT_FOUND" : response.status === 403 ? "FORBIDDEN" : "BAD_REQUEST",
      );
    }
  });

  it("refuses an upload without a file name as BAD_USER_INPUT", async () => {
    const { body, contentType } = multipart([
      {
        name: "operations",
        content: JSON.stringify({ query: UPLOAD, variables: { id: cloneId, file: null } }),
      },
      { name: "map", content: JSON.stringify({ 0: ["variables.file"] }) },
      { name: "0", filename: "", content: "текст" },
    ]);
    const response = await post(body, contentType);
    const result = (await response.json()) as { errors?: { extensions?: { code?: string } }[] };
    assert.equal(result.errors?.[0]?.extensions?.code, "BAD_USER_INPUT", JSON.stringify(result));
  });

  it("refuses names with bidirectional overrides or lone surrogates", async () => {
    for (const name of ["invoice\u202Etxt.exe", "a\u2066b", "\uD800lone", "tail\uDC00"]) {
      const clone = await api.request(
        "mutation ($name: String!) { createClone(input: {name: $name}) { id } }",
        {
          name,
        },
      );
      assert.equal(clone.errors?.[0]?.extensions?.code, "BAD_USER_INPUT", `clone ${JSON.stringify(name)}`);
      const key = await api.request("mutation ($name: String!) { createApiKey(name: $name) { secret } }", {
        name,
      });
      assert.equal(key.errors?.[0]?.extensions?.code, "BAD_USER_INPUT", `key ${JSON.stringify(name)}`);
    }
    // Right-to-left text itself is fine.
    assert.ok((await api.data('mutation { createClone(input: {name: "שלום עולם"}) { id } }')).createClone.id);
  });

  it("sends a Content-Security-Policy that forbids framing with the dashboard", async () => {
    const response = await fetch(`${harness.platform.url}/clones`, { headers: { accept: "text/html" } });
    await response.arrayBuffer();
    const policy = response.headers.get("content-security-policy") ?? "";
    assert.match(policy, /frame-ancestors 'none'/);
    assert.match(policy, /script-src 'self'/);
    assert.doesNotMatch(policy, /unsafe-inline|unsafe-eval/);
    assert.equal(response.headers.get("x-frame-options"), "DENY");
  });
});
