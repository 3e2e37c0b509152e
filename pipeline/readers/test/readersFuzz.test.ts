import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { sharedDataDir } from "@aiclone/testing/sharedData";
import fc from "fast-check";
import { exportFilesSource } from "../../dataset/exportFilesSource.js";
import { ExportReadError } from "../../model/conversation.js";

/**
 * Fuzzing every reader through the same entry the platform uses (format detection included): real corpus
 * exports of each format, mutated by fast-check (bytes flipped, cut short, invalid UTF-8 or deep nesting
 * inserted, or pure noise). Whatever the input, reading ends within a time bound with records or an
 * ExportReadError that names the file — never another exception, a hang or a crash. Bounded in time
 * (FUZZ_SECONDS, default 20, shared by the formats); the seed is printed so a failure can be replayed.
 */
const corpus = join(sharedDataDir(), "corpus");
const seeds = [
  {
    name: "result.json",
    path: join(corpus, "frozenspider__chat-history-manager", "telegram_2023-01", "result.json"),
  },
  {
    name: "_chat.txt",
    path: join(
      corpus,
      "Pustur__whatsapp-chat-parser-website",
      "extracted",
      "example-2019-nested",
      "_chat.txt",
    ),
  },
  {
    name: "GC_3A_5M.json",
    path: join(corpus, "mlomb__chat-analytics__AGPL-3.0", "tests", "samples", "discord", "GC_3A_5M.json"),
  },
  {
    name: "whatsapp.zip",
    path: join(
      corpus,
      "Pustur__whatsapp-chat-parser-website",
      "src",
      "assets",
      "whatsapp-chat-parser-example.zip",
    ),
  },
];
const budgetMs = Number(process.env.FUZZ_SECONDS ?? 20) * 1000;
const perCaseMs = 10_000;

type Mutation =
  | { kind: "flip"; at: number; byte: number }[]
  | { kind: "cut"; at: number }
  | { kind: "insert"; at: number; bytes: number[] }
  | { kind: "nest"; depth: number }
  | { kind: "noise"; bytes: Uint8Array };

const position = fc.double({ min: 0, max: 1, noNaN: true });
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.array(
    fc.record({ kind: fc.constant("flip" as const), at: position, byte: fc.integer({ min: 0, max: 255 }) }),
    {
      minLength: 1,
      maxLength: 20,
    },
  ),
  fc.record({ kind: fc.constant("cut" as const), at: position }),
  fc.record({
    kind: fc.constant("insert" as const),
    at: position,
    // Invalid UTF-8 (lone continuation, overlong, 0xFF), NUL, a BOM, quotes and brackets.
    bytes: fc.array(
      fc.constantFrom(0x80, 0xc3, 0x28, 0xff, 0xfe, 0x00, 0xef, 0xbb, 0xbf, 0x22, 0x7b, 0x5b, 0x5d, 0x0a),
      {
        minLength: 1,
        maxLength: 64,
      },
    ),
  }),
  fc.record({ kind: fc.constant("nest" as const), depth: fc.integer({ min: 1000, max: 200_000 }) }),
  fc.record({ kind: fc.constant("noise" as const), bytes: fc.uint8Array({ maxLength: 4096 }) }),
);

function mutate(seed: Buffer, m: Mutation): Buffer {
  const at = (p: number) => Math.min(seed.length, Math.floor(p * seed.length));
  if (Array.isArray(m)) {
    const copy = Buffer.from(seed);
    for (const flip of m) if (copy.length > 0) copy[Math.min(copy.length - 1, at(flip.at))] = flip.byte;
    return copy;
  }
  switch (m.kind) {
    case "cut":
      return seed.subarray(0, at(m.at));
    case "insert":
      return Buffer.concat([seed.subarray(0, at(m.at)), Buffer.from(m.bytes), seed.subarray(at(m.at))]);
    case "nest": {
      // JSON nested far past any sane depth, where a recursive parser would overflow its stack.
      const open = seed.indexOf("{".charCodeAt(0));
      const deep = Buffer.from(`${"[".repeat(m.depth)}${"]".repeat(m.depth)}`);
      return open < 0
        ? deep
        : Buffer.concat([
            seed.subarray(0, open + 1),
            Buffer.from('"x":'),
            deep,
            Buffer.from(","),
            seed.subarray(open + 1),
          ]);
    }
    case "noise":
      return Buffer.from(m.bytes);
  }
}

async function readAll(path: string): Promise<number> {
  let records = 0;
  const signal = AbortSignal.timeout(perCaseMs);
  for await (const _record of exportFilesSource([path], { signal }).records()) records++;
  return records;
}

describe("readers fuzz (every format, mutated corpus exports)", () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "aiclone-fuzz-"));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  for (const seed of seeds)
    it(`${seed.name}: records or an ExportReadError, in bounded time`, async () => {
      const original = await readFile(seed.path);
      assert.ok(
        (await (async () => {
          await writeFile(join(dir, seed.name), original);
          return readAll(join(dir, seed.name));
        })()) > 0,
        "the unmutated seed reads",
      );
      let cases = 0;
      const started = Date.now();
      const fuzzSeed = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
      await fc.assert(
        fc.asyncProperty(mutation, async (m) => {
          cases++;
          const path = join(dir, `${cases}-${seed.name}`);
          await writeFile(path, mutate(original, m));
          const t0 = Date.now();
          try {
            await readAll(path);
          } catch (error) {
            if (!(error instanceof ExportReadError))
              throw new Error(
                `${(error as Error)?.name}: ${(error as Error)?.message} (mutation ${JSON.stringify(m).slice(0, 200)})`,
              );
            assert.ok(
              error.message.includes(`${cases}-${seed.name}`) || error.file.length > 0,
              "the error names the file",
            );
          } finally {
            await rm(path, { force: true });
          }
          assert.ok(Date.now() - t0 < perCaseMs, `took ${Date.now() - t0} ms`);
        }),
        {
          seed: fuzzSeed,
          numRuns: 1_000_000,
          interruptAfterTimeLimit: budgetMs / seeds.length,
          markInterruptAsFailure: false,
        },
      );
      console.log(
        `# ${seed.name}: ${cases} mutated inputs in ${Date.now() - started} ms (FUZZ_SEED=${fuzzSeed})`,
      );
      assert.ok(cases > 0);
    });
});
