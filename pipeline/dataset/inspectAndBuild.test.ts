import assert from "node:assert/strict";
import { mkdtemp, readdir, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { build } from "./build.js";
import { inspect } from "./inspect.js";
import { InspectAndBuildOptions, inspectAndBuild } from "./inspectAndBuild.js";
import { resolveOwner } from "./owner.js";
import { bob, masha, me, RecordFixture } from "./test/recordFixture.js";

type BuildPart = InspectAndBuildOptions["build"];

/** What a run left: each file's text (stats.json parsed), or the error it threw; and the summary. */
interface Outcome {
  files: Record<string, unknown>;
  error: string | null;
  summary: unknown;
}

async function filesOf(dir: string): Promise<Record<string, unknown>> {
  const files: Record<string, unknown> = {};
  for (const name of (await readdir(dir).catch(() => [])).sort()) {
    const text = await readFile(join(dir, name), "utf8");
    files[name] = name.endsWith(".json") ? JSON.parse(text) : text;
  }
  return files;
}

/** The reference: inspect the whole source, resolve the owner, then build (the two passes of before). */
async function twoPasses(
  f: RecordFixture,
  selectors: string[],
  options: Partial<BuildPart>,
): Promise<Outcome> {
  const dir = join(await mkdtemp(join(tmpdir(), "two-passes-")), "out");
  let summary: unknown = null;
  try {
    const inspected = await inspect(f.source());
    summary = inspected;
    const owner = resolveOwner(inspected, selectors);
    await build(f.source(), { valFraction: 0.5, ...options, outDir: dir, owner, summary: inspected });
    return { files: await filesOf(dir), error: null, summary };
  } catch (error) {
    return { files: await filesOf(dir), error: (error as Error).message, summary };
  }
}

async function oneRead(
  f: RecordFixture,
  selectors: string[],
  options: Partial<BuildPart>,
  lookaheadMessages: number,
): Promise<Outcome & { passes: number | null; reads: number }> {
  const dir = join(await mkdtemp(join(tmpdir(), "one-read-")), "out");
  let reads = 0;
  const source = f.source();
  let summary: unknown = null;
  try {
    const result = await inspectAndBuild(
      () => {
        reads++;
        return source();
      },
      {
        resolveOwner: (s) => resolveOwner(s, selectors),
        onSummary: (s) => {
          summary = s;
        },
        build: { valFraction: 0.5, ...options, outDir: dir },
        lookaheadMessages,
      },
    );
    assert.deepEqual(result.summary, summary);
    return { files: await filesOf(dir), error: null, summary, passes: result.passes, reads };
  } catch (error) {
    return { files: await filesOf(dir), error: (error as Error).message, summary, passes: null, reads };
  }
}

/** A seeded pseudo-random export: chats of the three authors, now and then renamed, with gaps. */
function randomExport(seed: number): RecordFixture {
  let state = seed;
  const next = (n: number) => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state % n;
  };
  const f = new RecordFixture();
  if (next(2) === 0) f.account(me.id, next(2) ? me.name : null);
  const people = [me, masha, bob];
  const words = ["привет", "как дела", "ок", "тел. +7 916 123-45-67", "норм 😂", "да\nнет", "ну", "?"];
  for (let c = 0, chats = 1 + next(3); c < chats; c++) {
    f.chat(String(100 + c), next(4) ? masha.name : null, next(3) ? "personal" : "group");
    for (let m = 0, n = next(40); m < n; m++) {
      const who = people[next(3)]!;
      const renamed = next(10) === 0 ? `${who.name} 2` : who.name;
      if (next(8) === 0) f.after(7, "h");
      f.msg(who.id, renamed, `${words[next(words.length)]} ${next(5) ? "" : m}`);
    }
  }
  return f;
}

describe("inspectAndBuild: one read where the owner guess holds", () => {
  it("gives exactly what inspection then build gives, for any look-ahead (random exports)", async () => {
    const selectorSets = [[], [me.id], [me.name], [masha.name], ["nobody"], [me.id, bob.id]];
    for (let seed = 1; seed <= 16; seed++) {
      const f = randomExport(seed);
      const selectors = selectorSets[seed % selectorSets.length]!;
      const options = seed % 4 === 0 ? { pseudonymize: true } : {};
      const expected = await twoPasses(f, selectors, options);
      for (const lookahead of [1, 3, 10, 1000]) {
        const got = await oneRead(f, selectors, options, lookahead);
        const where = `seed ${seed}, selectors ${JSON.stringify(selectors)}, look-ahead ${lookahead}`;
        assert.equal(got.error, expected.error, where);
        assert.deepEqual(got.files, expected.files, where);
        assert.deepEqual(got.summary, expected.summary, where);
        if (got.passes !== null) assert.equal(got.reads, got.passes, where);
      }
    }
  });

  it("reads once when the account record comes first, and when the whole export fits the look-ahead", async () => {
    const f = new RecordFixture().account(me.id, me.name).chat("100", "Маша");
    for (let i = 0; i < 30; i++) f.msg(masha.id, masha.name, `вопрос ${i}`).msg(me.id, me.name, `ответ ${i}`);
    const ahead = await oneRead(f, [], {}, 5);
    assert.equal(ahead.passes, 1);
    assert.equal(ahead.reads, 1);
    const whole = await oneRead(f, [], {}, 1000);
    assert.equal(whole.passes, 1);
    assert.deepEqual(ahead.files, (await twoPasses(f, [], {})).files);
  });

  it("reads twice when the owner's name changes after the look-ahead, and the result is the second read's", async () => {
    const f = new RecordFixture().chat("100", "Маша");
    for (let i = 0; i < 10; i++) f.msg(masha.id, masha.name, `вопрос ${i}`).msg(me.id, me.name, `ответ ${i}`);
    f.msg(me.id, "Ваня", "теперь я Ваня").msg(masha.id, masha.name, "ок");
    const got = await oneRead(f, [me.id], {}, 4);
    assert.equal(got.passes, 2);
    assert.equal(got.reads, 2);
    const expected = await twoPasses(f, [me.id], {});
    assert.deepEqual(got.files, expected.files);
    assert.match(JSON.stringify(got.files["train.jsonl"]), /Ваня/); // the system prompt names the final name
  });

  it("fails as inspection would when the whole export makes the name ambiguous, leaving no folder", async () => {
    const f = new RecordFixture().chat("100", "Маша");
    for (let i = 0; i < 10; i++) f.msg(masha.id, masha.name, `вопрос ${i}`).msg(me.id, me.name, `ответ ${i}`);
    f.chat("200", "Другой").msg("user9", me.name, "я тоже Иван Петров");
    const got = await oneRead(f, [me.name], {}, 4);
    assert.match(got.error ?? "", /Several authors/);
    assert.deepEqual(got.files, {});
    assert.equal(got.reads, 1);
  });
});
