import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { PLUGIN_API_VERSION } from "@aiclone/plugin-sdk";
import { loadEnabledPlugins, loadPlugin } from "../pluginLoader.js";

const recorderPath = fileURLToPath(new URL("../../test/fixtures/recordingPlugin.js", import.meta.url));
const zodUrl = import.meta.resolve("zod");

const pluginSource = (manifest: string) => `
import { z } from ${JSON.stringify(zodUrl)};
export default {
  manifest: { configSchema: z.object({ port: z.number().int() }), ${manifest} },
  create: () => ({ start: async () => {}, stop: async () => {} }),
};`;

describe("plugin loader", () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "aiclone-loader-"));
  });
  after(() => rm(dir, { recursive: true, force: true }));
  const options = () => ({ registry: {}, bundleDir: dir });
  const write = async (name: string, manifest: string) => {
    await writeFile(join(dir, name), pluginSource(manifest));
    return name;
  };

  it("loads a third-party plugin by path and validates its config", async () => {
    const plugin = await loadPlugin(
      { name: "recorder", path: recorderPath, enabled: true, config: { question: "Привет" } },
      "plugins.0",
      options(),
    );
    assert.equal(plugin.definition.manifest.kind, "channel");
    assert.deepEqual(plugin.config, { question: "Привет", conversationId: "e2e", partnerName: "Мария" });
    assert.equal(plugin.origin, recorderPath);
  });

  it("names the bad config field", async () => {
    await assert.rejects(
      loadPlugin(
        { name: "recorder", path: recorderPath, enabled: true, config: { question: 42 } },
        "plugins.3",
        options(),
      ),
      /^PluginLoadError: plugins\.3\.config\.question: /,
    );
  });

  it("loads a relative path from the bundle folder", async () => {
    const file = await write(
      "good.mjs",
      `name: "good", kind: "channel", version: "1.2.3", apiVersion: "^1.0.0"`,
    );
    const plugin = await loadPlugin(
      { name: "good", path: `./${file}`, enabled: true, config: { port: 1 } },
      "plugins.0",
      options(),
    );
    assert.equal(plugin.definition.manifest.version, "1.2.3");
  });

  it("refuses an incompatible API range, a bad manifest and a name mismatch", async () => {
    const v2 = await write("v2.mjs", `name: "v2", kind: "channel", version: "1.0.0", apiVersion: "^2.0.0"`);
    await assert.rejects(
      loadPlugin({ name: "v2", path: v2, enabled: true, config: { port: 1 } }, "plugins.1", options()),
      new RegExp(
        `plugins\\.1 \\(v2\\): manifest\\.apiVersion '\\^2\\.0\\.0' does not include this runtime's plugin API ${PLUGIN_API_VERSION.replaceAll(".", "\\.")}$`,
      ),
    );
    const kind = await write("kind.mjs", `name: "kind", kind: "bot", version: "1.0.0", apiVersion: "^1"`);
    await assert.rejects(
      loadPlugin({ name: "kind", path: kind, enabled: true, config: { port: 1 } }, "plugins.0", options()),
      /plugins\.0 \(kind\): manifest\.kind: /,
    );
    const other = await write("other.mjs", `name: "other", kind: "rag", version: "1.0.0", apiVersion: "^1"`);
    await assert.rejects(
      loadPlugin({ name: "mine", path: other, enabled: true, config: { port: 1 } }, "plugins.2", options()),
      /plugins\.2\.name: 'mine' does not match the plugin's manifest name 'other'/,
    );
    await writeFile(join(dir, "nodefault.mjs"), "export const x = 1;");
    await assert.rejects(
      loadPlugin({ name: "x", path: "nodefault.mjs", enabled: true, config: {} }, "plugins.0", options()),
      /not a plugin definition|manifest/,
    );
  });

  it("says when a path or package cannot be found", async () => {
    await assert.rejects(
      loadPlugin({ name: "gone", path: "missing.mjs", enabled: true, config: {} }, "plugins.4", options()),
      /plugins\.4 \(gone\): cannot be found/,
    );
    await assert.rejects(
      loadPlugin(
        { name: "gone", package: "aiclone-plugin-that-does-not-exist", enabled: true, config: {} },
        "plugins.0",
        options(),
      ),
      /cannot be found/,
    );
  });

  it("resolves built-ins lazily: a missing one fails only when enabled", async () => {
    let imported = 0;
    const registry = {
      web: async () => {
        imported++;
        throw Object.assign(new Error("Cannot find module '/x/plugins/web/index.js'"), {
          code: "ERR_MODULE_NOT_FOUND",
        });
      },
    };
    const none = await loadEnabledPlugins([{ name: "web", enabled: false, config: {} }], {
      registry,
      bundleDir: dir,
    });
    assert.deepEqual(none, []);
    assert.equal(imported, 0);
    await assert.rejects(
      loadEnabledPlugins([{ name: "web", enabled: true, config: {} }], { registry, bundleDir: dir }),
      /plugins\.0 \(web\): cannot be found/,
    );
    await assert.rejects(
      loadEnabledPlugins([{ name: "nope", enabled: true, config: {} }], { registry, bundleDir: dir }),
      /no built-in plugin 'nope' \(built-ins: web\)/,
    );
  });
});
