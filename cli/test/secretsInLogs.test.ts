import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { MasterKey } from "../../infra/crypto/masterKey.js";
import { GraphQLTestClient } from "../../testing/platform/graphqlClient.js";
import { PlatformProcess } from "../../testing/platform/platformProcess.js";
import { telegramExport } from "./telegramExportFixture.js";

/**
 * The platform's log at its most talkative (trace) never holds a secret: API keys (the first one is
 * printed once on stdout, by design, never in the log), install tokens, a wrong key someone sent, or the
 * master key.
 */
describe("no secrets in the platform's log", () => {
  const masterKey = MasterKey.generate().base64;
  let dir: string;
  let platform: PlatformProcess;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "aiclone-secrets-"));
    platform = PlatformProcess.spawn([], {
      AICLONE_DATA_DIR: dir,
      AICLONE_API__PORT: "0",
      AICLONE_LOG__LEVEL: "trace",
      AICLONE_SECURITY__MASTER_KEY: masterKey,
    });
  });
  after(async () => {
    await platform.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it("logs requests, failures and uploads without keys or tokens", async () => {
    const url = await platform.graphqlUrl();
    const firstKey = (await platform.waitFor(/API key: (\S+)/))[1]!;
    const api = new GraphQLTestClient(url, firstKey);
    const { createApiKey } = await api.data('mutation { createApiKey(name: "второй") { secret } }');
    const { createClone } = await api.data('mutation { createClone(input: {name: "Аня"}) { id } }');
    const { createInstallToken } = await api.data(
      "mutation ($id: ID!) { createInstallToken(cloneId: $id) { token } }",
      { id: createClone.id },
    );
    await api.upload(
      "mutation ($id: ID!, $file: Upload!) { uploadSource(cloneId: $id, file: $file) { id } }",
      { id: createClone.id },
      "file",
      { name: "result.json", content: telegramExport() },
    );
    const forged = `ak_${"0".repeat(32)}_${"x".repeat(43)}`;
    await api.withToken(forged).request("{ me { id } }");
    await api.withToken(createInstallToken.token).request("{ me { id } }");
    const base = url.replace(/\/graphql$/, "");
    await fetch(`${base}/clones/${createClone.id}/bundles/latest/manifest`, {
      headers: { authorization: `Bearer ${createInstallToken.token}` },
    }).then((r) => r.arrayBuffer());
    await api.request("{ nope }"); // a failing operation is logged too
    await new Promise((r) => setTimeout(r, 500));

    const log = platform.stderr + platform.stdout.replace(`API key: ${firstKey}`, "");
    assert.ok(log.length > 1000, "the trace log is not empty");
    for (const [what, secret] of Object.entries({
      "the first API key": firstKey,
      "a created API key": createApiKey.secret,
      "an install token": createInstallToken.token,
      "a forged key": forged,
      "the master key": masterKey,
    })) {
      assert.ok(!log.includes(secret), `${what} appears in the log`);
      assert.ok(!log.includes(secret.slice(-43)), `the secret part of ${what} appears in the log`);
    }
    assert.doesNotMatch(log, /authorization"?\s*:\s*"?Bearer/i, "no Authorization header is logged");
  });
});
