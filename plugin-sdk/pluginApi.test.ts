import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { PLUGIN_API_VERSION } from "./pluginApi.js";

describe("the plugin SDK package", () => {
  it("is versioned as the plugin API it declares (a plugin's apiVersion range reads the package's version)", () => {
    const manifest = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
    assert.equal(manifest.version, PLUGIN_API_VERSION);
  });
});
