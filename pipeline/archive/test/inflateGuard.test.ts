import assert from "node:assert/strict";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { test } from "node:test";
import { ExportReadError } from "../../model/conversation.js";
import { DEFAULT_ARCHIVE_LIMITS } from "../archiveLimits.js";
import { InflateGuard } from "../inflateGuard.js";

test("the guard stops at the ratio limit even when the declared size allows more", async () => {
  const guard = new InflateGuard(
    { label: "z!/x", declaredSize: 10 * 1024 * 1024, compressedSize: 1000 },
    { ...DEFAULT_ARCHIVE_LIMITS, ratioMinBytes: 1024 },
  );
  let seen = 0;
  const chunks = Array.from({ length: 100 }, () => Buffer.alloc(16 * 1024));
  await assert.rejects(
    pipeline(Readable.from(chunks), guard, async (source: AsyncIterable<Buffer>) => {
      for await (const chunk of source) seen += chunk.length;
    }),
    (error: unknown) => error instanceof ExportReadError && /ratio limit of 200:1/.test(error.message),
  );
  assert.ok(seen <= 200 * 1000);
});
