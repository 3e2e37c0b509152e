import assert from "node:assert/strict";
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";
import { build } from "./build.js";
import { DatasetOptionsError } from "./buildOptions.js";
import { buildFixture } from "./test/buildHarness.js";
import { bob, masha, me, RecordFixture } from "./test/recordFixture.js";

const dialogue = () =>
  new RecordFixture()
    .chat("100", "Маша")
    .msg(masha.id, masha.name, "привет")
    .msg(masha.id, masha.name, "как дела?")
    .msg(me.id, me.name, "норм")
    .msg(me.id, me.name, "ты как?")
    .msg(masha.id, masha.name, "тоже норм");

describe("build: turns and sessions", () => {
  it("merges runs into turns with line breaks; owner turns are the assistant", async () => {
    const { all, stats } = await buildFixture(dialogue());
    assert.deepEqual(all, [
      [
        { role: "user", content: "привет\nкак дела?" },
        { role: "assistant", content: "норм\nты как?" },
      ],
    ]);
    assert.equal(stats.samples, 1);
    assert.equal(stats.messagesRead, 5);
    assert.equal(stats.ownerMessages, 2);
    assert.equal(stats.dropped.trailingUserTurn, 1);
  });
  it("writes the system prompt naming the owner, or none", async () => {
    const { train } = await buildFixture(dialogue());
    assert.equal(train[0]!.messages[0]!.role, "system");
    assert.match(train[0]!.messages[0]!.content, /Иван Петров/);
    const custom = await buildFixture(dialogue(), { systemPrompt: "Be {name}." });
    assert.equal(custom.train[0]!.messages[0]!.content, "Be Иван Петров.");
    const none = await buildFixture(dialogue(), { systemPrompt: false });
    assert.equal(none.train[0]!.messages[0]!.role, "user");
  });
  it("splits sessions on a 6 h silence, across midnight by elapsed time only", async () => {
    const f = new RecordFixture()
      .chat("100", "Маша")
      .at(Date.UTC(2024, 0, 1, 23, 50))
      .msg(masha.id, masha.name, "не спишь?")
      .at(Date.UTC(2024, 0, 2, 0, 5))
      .msg(me.id, me.name, "неа")
      .after(7, "h")
      .msg(masha.id, masha.name, "доброе утро")
      .msg(me.id, me.name, "привет-привет");
    const { all } = await buildFixture(f);
    assert.deepEqual(
      all.map((s) => s.map((t) => t.content)),
      [
        ["не спишь?", "неа"],
        ["доброе утро", "привет-привет"],
      ],
    );
    const longGap = await buildFixture(f, { sessionGapHours: 8 });
    assert.equal(longGap.all.length, 1);
  });
  it("names speakers in groups and merges different people into one user turn", async () => {
    const f = new RecordFixture()
      .chat("200", "Друзья", "group")
      .msg(masha.id, masha.name, "кто идёт?")
      .msg(bob.id, bob.name, "I'm in")
      .msg(bob.id, bob.name, "at 7")
      .msg(me.id, me.name, "я тоже");
    const { all } = await buildFixture(f);
    assert.deepEqual(all[0], [
      { role: "user", content: "Маша: кто идёт?\nBob: I'm in\nat 7" },
      { role: "assistant", content: "я тоже" },
    ]);
  });
  it("keeps a conversation the owner starts as an opener sample (system, then the owner's turn), counted", async () => {
    const f = new RecordFixture()
      .chat("100", "Маша")
      .msg(me.id, me.name, "эй")
      .msg(me.id, me.name, "ты тут?")
      .msg(masha.id, masha.name, "да?")
      .msg(me.id, me.name, "ничего");
    const { all, train, stats } = await buildFixture(f);
    assert.deepEqual(
      all.map((s) => s.map((t) => [t.role, t.content])),
      [
        [["assistant", "эй\nты тут?"]],
        [
          ["user", "да?"],
          ["assistant", "ничего"],
        ],
      ],
    );
    assert.deepEqual(
      train[0]!.messages.map((m) => m.role),
      ["system", "assistant"],
    );
    assert.equal(stats.openers.samples, 1);
    assert.equal(stats.openers.messages, 2);
    assert.equal(stats.dropped.leadingOwnerTurn ?? 0, 0);
    assert.equal(stats.options.openers, true);
  });
  it("drops the owner's opening turns with openers off, counting them", async () => {
    const f = new RecordFixture()
      .chat("100", "Маша")
      .msg(me.id, me.name, "эй")
      .msg(masha.id, masha.name, "да?")
      .msg(me.id, me.name, "ничего");
    const { all, stats } = await buildFixture(f, { openers: false });
    assert.deepEqual(
      all.map((s) => s.map((t) => t.content)),
      [["да?", "ничего"]],
    );
    assert.equal(stats.dropped.leadingOwnerTurn, 1);
    assert.deepEqual(stats.openers, { samples: 0, messages: 0 });
  });
  it("handles small time inversions inside a session", async () => {
    const t = Date.UTC(2024, 5, 1, 10);
    const f = new RecordFixture()
      .chat("100", "Маша")
      .at(t + 60_000)
      .msg(me.id, me.name, "ответ")
      .at(t)
      .msg(masha.id, masha.name, "вопрос");
    const { all } = await buildFixture(f);
    assert.deepEqual(
      all[0]!.map((t) => t.content),
      ["вопрос", "ответ"],
    );
  });
});

describe("build: what never becomes an assistant turn", () => {
  it("drops each kind of non-text message with its reason", async () => {
    const f = new RecordFixture()
      .chat("100", "Маша")
      .msg(masha.id, masha.name, "смотри")
      .msg(me.id, me.name, "чужой текст", { forwardedFrom: "Канал" })
      .msg(me.id, me.name, "", { kind: "media", media: [{ type: "photo" }] })
      .msg(me.id, me.name, "", { kind: "sticker" })
      .msg(me.id, me.name, "Иван pinned a message", { kind: "service" })
      .msg(me.id, me.name, "", { kind: "poll" })
      .msg(me.id, me.name, "", { kind: "location" })
      .msg(me.id, me.name, "", { kind: "contact" })
      .msg(me.id, me.name, "", { kind: "deleted" })
      .msg(me.id, me.name, "", { kind: "unsupported" })
      .msg(me.id, me.name, "   ")
      .msg(me.id, me.name, "gif", { viaBot: "@gif" })
      .msg(null, null, "кто это")
      .msg(me.id, me.name, "моя подпись к фото", { kind: "media", media: [{ type: "photo" }] });
    const { all, stats } = await buildFixture(f);
    assert.deepEqual(all, [
      [
        { role: "user", content: "смотри" },
        { role: "assistant", content: "моя подпись к фото" },
      ],
    ]);
    for (const reason of [
      "forwarded",
      "media",
      "sticker",
      "service",
      "poll",
      "location",
      "contact",
      "deleted",
      "unsupported",
      "empty",
      "viaBot",
      "unknownAuthor",
    ])
      assert.equal(stats.dropped[reason], 1, reason);
  });
  it("skips channels, saved messages and bot chats, counted per chat and per message", async () => {
    const f = new RecordFixture()
      .chat("1", "Новости", "channel")
      .msg(me.id, me.name, "пост")
      .chat("2", "Saved Messages", "saved")
      .msg(me.id, me.name, "заметка")
      .chat("3", "BotFather", "bot")
      .msg(me.id, me.name, "/start");
    const { stats } = await buildFixture(f);
    assert.equal(stats.samples, 0);
    assert.deepEqual(stats.dropped, { channel: 1, saved: 1, bot: 1 });
    assert.deepEqual(
      stats.chats.map((c) => c.skipped),
      ["channel", "saved", "bot"],
    );
  });
  it("drops an owner message longer than the turn limit and truncates other people's", async () => {
    const f = new RecordFixture()
      .chat("100", "Маша")
      .msg(masha.id, masha.name, "x".repeat(50))
      .msg(me.id, me.name, "y".repeat(50))
      .msg(me.id, me.name, "коротко");
    const { all, stats } = await buildFixture(f, { maxTurnChars: 20, maxSampleChars: 40 });
    assert.deepEqual(all[0], [
      { role: "user", content: `${"x".repeat(19)}…` },
      { role: "assistant", content: "коротко" },
    ]);
    assert.equal(stats.dropped.tooLong, 1);
    assert.equal(stats.truncatedMessages, 1);
  });
  it("drops samples whose replies have no words", async () => {
    const f = new RecordFixture()
      .chat("100", "Маша")
      .msg(masha.id, masha.name, "смотри")
      .msg(me.id, me.name, "))) 👍");
    const { stats } = await buildFixture(f);
    assert.equal(stats.samples, 0);
    assert.equal(stats.droppedSamples.noOwnerWords, 1);
  });
});

describe("build: duplicates, selection, privacy", () => {
  it("removes exact and near duplicate samples", async () => {
    const long =
      "давай встретимся завтра у метро в семь вечера, я возьму билеты на фильм, который ты хотела посмотреть";
    const f = new RecordFixture()
      .chat("100", "Маша")
      .msg(masha.id, masha.name, "что делаем?")
      .msg(me.id, me.name, "Ок")
      .after(10, "h")
      .msg(masha.id, masha.name, "а завтра?")
      .msg(me.id, me.name, "ок")
      .after(10, "h")
      .msg(masha.id, masha.name, "планы?")
      .msg(me.id, me.name, long)
      .after(10, "h")
      .msg(masha.id, masha.name, "планы?")
      .msg(me.id, me.name, `${long}!`);
    const { stats } = await buildFixture(f);
    assert.equal(stats.samples, 2);
    assert.equal(stats.droppedSamples.duplicate, 1);
    assert.equal(stats.droppedSamples.nearDuplicate, 1);
  });
  const twoChats = () =>
    new RecordFixture()
      .chat("100", "Маша")
      .msg(masha.id, masha.name, "привет")
      .msg(me.id, me.name, "привет, Маша")
      .chat("300", "Bob")
      .msg(bob.id, bob.name, "hi")
      .msg(me.id, me.name, "hey Bob")
      .chat("200", "Друзья", "group")
      .msg(masha.id, masha.name, "всем привет")
      .msg(bob.id, bob.name, "hello")
      .msg(me.id, me.name, "салют");
  it("includes and excludes chats by id or name", async () => {
    assert.equal((await buildFixture(twoChats(), { excludeChats: ["маша"] })).stats.samples, 2);
    const only = await buildFixture(twoChats(), { includeChats: ["300"] });
    assert.equal(only.stats.samples, 1);
    assert.equal(only.stats.dropped.notIncludedChat, 5);
    assert.equal(only.stats.chats.find((c) => c.id === "100")?.skipped, "notIncludedChat");
  });
  it("excludes contacts: their one-to-one chat and their messages in groups", async () => {
    const { all, stats } = await buildFixture(twoChats(), { excludeContacts: [bob.id] });
    assert.deepEqual(
      all.map((s) => s.map((t) => t.content)),
      [
        ["привет", "привет, Маша"],
        ["Маша: всем привет", "салют"],
      ],
    );
    assert.equal(stats.chats.find((c) => c.id === "300")?.skipped, "excludedContact");
    assert.equal(stats.dropped.excludedContact, 3);
  });
  it("includes contacts: only their one-to-one chats, groups only when named", async () => {
    const { stats } = await buildFixture(twoChats(), { includeContacts: ["Маша"] });
    assert.deepEqual(
      stats.chats.map((c) => c.skipped),
      [null, "notIncludedContact", "notIncludedContact"],
    );
    const withGroup = await buildFixture(twoChats(), {
      includeContacts: ["Маша"],
      includeChats: ["Друзья", "Маша"],
    });
    assert.equal(withGroup.stats.samples, 2);
  });
  it("redacts every turn and counts replacements; pseudonyms replace names and prefixes", async () => {
    const f = new RecordFixture()
      .chat("200", "Друзья", "group")
      .msg(masha.id, masha.name, "мой номер +7 916 123-45-67")
      .msg(me.id, me.name, "записал, Маша! пиши на ivan@example.com");
    const plain = await buildFixture(f);
    assert.deepEqual(
      plain.all[0]!.map((t) => t.content),
      ["Маша: мой номер <PHONE>", "записал, Маша! пиши на <EMAIL>"],
    );
    assert.equal(plain.stats.redacted.phone, 1);
    assert.equal(plain.stats.redacted.email, 1);
    const hidden = await buildFixture(f, { pseudonymize: true });
    assert.deepEqual(
      hidden.all[0]!.map((t) => t.content),
      ["Контакт 1: мой номер <PHONE>", "записал, Контакт 1! пиши на <EMAIL>"],
    );
    const raw = await buildFixture(f, { redact: false });
    assert.match(raw.all[0]![0]!.content, /\+7 916/);
  });
});

describe("build: output", () => {
  const many = (n: number) => {
    const f = new RecordFixture().chat("100", "Маша");
    for (let i = 0; i < n; i++)
      f.after(10, "h")
        .msg(masha.id, masha.name, `вопрос номер ${i}`)
        .msg(me.id, me.name, `ответ ${i} про ${"абвгдежзик"[i % 10]}`);
    return f;
  };
  it("holds out whole sessions deterministically, at least one when there are ten samples", async () => {
    const a = await buildFixture(many(40), { valFraction: 0.25 });
    const b = await buildFixture(many(40), { valFraction: 0.25 });
    assert.equal(a.stats.samples, 40);
    assert.ok(a.stats.valSamples > 0 && a.stats.trainSamples > 0);
    assert.deepEqual(a.val, b.val);
    assert.equal(a.val.length, a.stats.valSamples);
    const tiny = await buildFixture(many(10), { valFraction: 0.001 });
    assert.equal(tiny.stats.valSamples, 1);
    assert.equal(tiny.val.length, 1);
    assert.equal(tiny.train.length, 9);
    const none = await buildFixture(many(9), { valFraction: 0.001 });
    assert.equal(none.stats.valSamples, 0);
  });
  it("with too few sessions, holds out the last replies inside a session, never training on them", async () => {
    const f = new RecordFixture().chat("100", "Маша");
    for (let i = 0; i < 6; i++)
      f.after(1, "m").msg(masha.id, masha.name, `вопрос ${i}`).msg(me.id, me.name, `ответ ${i}`);
    const { stats, train, val } = await buildFixture(f, { valFraction: 0.25 });
    assert.deepEqual(stats.heldOut, { source: "turns", reason: null });
    assert.equal(stats.samples, 3);
    assert.equal(stats.trainSamples, 1);
    const replies = (sample: { messages: { role: string; content: string }[] }) =>
      sample.messages.filter((m) => m.role === "assistant").map((m) => m.content);
    assert.deepEqual(train.map(replies), [["ответ 0", "ответ 1", "ответ 2", "ответ 3"]]);
    assert.deepEqual(
      val.map((v) => replies(v).at(-1)),
      ["ответ 4", "ответ 5"],
    );
    assert.equal(stats.valSamples, 2);
    const single = await buildFixture(dialogue(), { valFraction: 0.25 });
    assert.deepEqual(single.stats.heldOut, { source: null, reason: "tooFewReplies" });
    const off = await buildFixture(f, { valFraction: 0 });
    assert.deepEqual(off.stats.heldOut, { source: null, reason: "valFractionZero" });
  });
  it("writes stats.json with the counts, chats, skipped inputs and style profile", async () => {
    const { dir, files, stats } = await buildFixture(dialogue().skipped("bad json", "result.json:10"));
    assert.deepEqual(files, ["stats.json", "train.jsonl", "val.jsonl"]);
    const written = JSON.parse(await readFile(join(dir, "stats.json"), "utf8"));
    assert.equal(written.samples, 1);
    assert.deepEqual(written.owner, {
      id: me.id,
      ids: [me.id],
      name: me.name,
      identities: [{ id: me.id, messages: 2, samples: 1 }],
    });
    assert.deepEqual(written.skippedInputs, {
      total: 1,
      byReason: { "bad json": 1 },
      examples: [{ reason: "bad json", where: "result.json:10" }],
    });
    assert.equal(written.chats[0].samples, 1);
    assert.equal(stats.styleProfile.messages, 2);
    assert.equal(stats.styleProfile.burstShare, 1);
    assert.equal(written.options.sessionGapHours, 6);
  });
  it("dryRun writes no jsonl", async () => {
    const { files, stats } = await buildFixture(dialogue(), { dryRun: true });
    assert.deepEqual(files, ["stats.json"]);
    assert.equal(stats.samples, 1);
    const noDir = await build(dialogue().source(), { owner: { ids: [me.id], name: me.name }, dryRun: true });
    assert.equal(noDir.samples, 1);
  });
  it("an aborted build leaves no train.jsonl and no temp files, and keeps an earlier output", async () => {
    const { dir } = await buildFixture(dialogue());
    await writeFile(join(dir, "train.jsonl"), "old\n");
    const controller = new AbortController();
    const f = many(50);
    await assert.rejects(
      build(f.source(), {
        owner: { ids: [me.id], name: me.name },
        outDir: dir,
        signal: controller.signal,
        progressEvery: 10,
        onProgress: (p) => {
          if (p.recordsRead >= 30) controller.abort();
        },
      }),
      { name: "AbortError" },
    );
    assert.equal(await readFile(join(dir, "train.jsonl"), "utf8"), "old\n");
    assert.deepEqual(
      (await readdir(dir)).filter((n) => n.startsWith(".")),
      [],
    );
    const fresh = await import("node:fs/promises").then((fs) => fs.mkdtemp(join(dir, "fresh-")));
    await assert.rejects(
      build(f.source(), {
        owner: { ids: [me.id], name: me.name },
        outDir: fresh,
        signal: AbortSignal.abort(),
      }),
    );
    assert.deepEqual(await readdir(fresh), []);
  });
  it("reports progress", async () => {
    const seen: number[] = [];
    await build(many(5).source(), {
      owner: { ids: [me.id], name: me.name },
      dryRun: true,
      progressEvery: 4,
      onProgress: (p) => seen.push(p.recordsRead),
      bytesRead: () => 7,
    });
    assert.deepEqual(seen, [4, 8, 11]);
  });
  it("rejects bad options naming the option", async () => {
    const owner = { ids: [me.id], name: me.name };
    await assert.rejects(
      build(dialogue().source(), { owner, valFraction: 1.5, dryRun: true }),
      (e: unknown) => e instanceof DatasetOptionsError && e.option === "valFraction",
    );
    await assert.rejects(
      build(dialogue().source(), { owner }),
      (e: unknown) => e instanceof DatasetOptionsError && e.option === "outDir",
    );
    await assert.rejects(
      build(dialogue().source(), { owner: { ids: [], name: "x" }, dryRun: true }),
      (e: unknown) => e instanceof DatasetOptionsError && e.option === "owner",
    );
  });
});

describe("build: one person across exports", () => {
  it("counts the owner's messages and samples per identity", async () => {
    const whatsappMe = { id: "wa:Ваня", name: "Ваня" };
    const f = dialogue()
      .chat("wa-1", "Маша (WhatsApp)")
      .msg(masha.id, masha.name, "завтра в кино?")
      .msg(whatsappMe.id, whatsappMe.name, "давай")
      .msg(masha.id, masha.name, "в 7")
      .msg(whatsappMe.id, whatsappMe.name, "ок")
      .msg(whatsappMe.id, whatsappMe.name, "до встречи");
    const { stats } = await buildFixture(f, { owner: { ids: [me.id, whatsappMe.id], name: me.name } });
    assert.equal(stats.ownerMessages, 5);
    assert.deepEqual(stats.owner.identities, [
      { id: me.id, messages: 2, samples: 1 },
      { id: whatsappMe.id, messages: 3, samples: 1 },
    ]);
    const single = await buildFixture(f);
    assert.deepEqual(single.stats.owner.identities, [{ id: me.id, messages: 2, samples: 1 }]);
  });
});
