import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { ConversationMemory } from "../memory/conversationMemory.js";
import { openRuntimeDatabase } from "../memory/runtimeDatabase.js";
import { parseCorrectionsFile } from "./correctionFile.js";
import { CorrectionStore, correctionsFileOf } from "./correctionStore.js";

const maria = { id: "tg:42", displayName: "Мария" };

describe("corrections in the runtime's database", () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "aiclone-corrections-"));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it("replaces the draft in memory by the owner's text and keeps the turns before it, across a restart", () => {
    const path = join(dir, "runtime.sqlite");
    let tick = 0;
    const clock = () => new Date(Date.UTC(2026, 11, 6, 10, 0, tick++));
    const db = openRuntimeDatabase(path);
    const memory = new ConversationMemory(db, clock);
    memory.recordExchange("telegram", "7", maria, "Привет!", "Здравствуйте.");
    memory.recordExchange("telegram", "7", maria, "Идёшь завтра?", "Да, конечно, обязательно приду.");
    memory.recordExchange("telegram", "8", maria, "Другой чат", "Да, конечно, обязательно приду.");
    const store = new CorrectionStore(db, clock);
    const recorded = store.record("telegram", {
      conversationId: "7",
      draft: "Да, конечно, обязательно приду.",
      ownerText: "ага, буду к семи",
    });
    assert.equal(recorded.replacedInMemory, true);
    assert.deepEqual(memory.history("telegram", "7").at(-1), {
      role: "assistant",
      content: "ага, буду к семи",
    });
    // Another conversation with the same text is left alone.
    assert.equal(memory.history("telegram", "8").at(-1)?.content, "Да, конечно, обязательно приду.");
    db.close();

    const reopened = new CorrectionStore(openRuntimeDatabase(path));
    const [correction, ...rest] = reopened.list();
    assert.equal(rest.length, 0);
    assert.equal(correction?.id, recorded.id);
    assert.equal(correction?.channel, "telegram");
    assert.equal(correction?.draft, "Да, конечно, обязательно приду.");
    assert.equal(correction?.ownerText, "ага, буду к семи");
    assert.deepEqual(correction?.context, [
      { role: "user", content: "Привет!" },
      { role: "assistant", content: "Здравствуйте." },
      { role: "user", content: "Идёшь завтра?" },
    ]);
  });

  it("records a draft that memory no longer holds, without context, and forget() removes a conversation's corrections", () => {
    const db = openRuntimeDatabase(join(dir, "forget.sqlite"));
    const memory = new ConversationMemory(db);
    const store = new CorrectionStore(db);
    const lost = store.record("web", { conversationId: "gone", draft: "черновик", ownerText: "мой текст" });
    assert.equal(lost.replacedInMemory, false);
    assert.deepEqual(store.list()[0]?.context, []);
    memory.recordExchange("web", "c1", maria, "вопрос", "ответ");
    store.record("web", { conversationId: "c1", draft: "ответ", ownerText: "мой ответ" });
    assert.equal(store.list().length, 2);
    memory.forget("web", "c1");
    assert.deepEqual(
      store.list().map((c) => c.ownerText),
      ["мой текст"],
    );
    db.close();
  });

  it("keeps at most the last 40 turns of context and refuses an empty owner text", () => {
    const db = openRuntimeDatabase(join(dir, "long.sqlite"));
    const memory = new ConversationMemory(db);
    for (let i = 0; i < 30; i++) memory.recordExchange("web", "c", maria, `вопрос ${i}`, `ответ ${i}`);
    const store = new CorrectionStore(db);
    store.record("web", { conversationId: "c", draft: "ответ 29", ownerText: "иначе" });
    const context = store.list()[0]?.context ?? [];
    assert.equal(context.length, 40);
    assert.deepEqual(context.at(-1), { role: "user", content: "вопрос 29" });
    assert.throws(
      () => store.record("web", { conversationId: "c", draft: "x", ownerText: "  " }),
      /ownerText/,
    );
    db.close();
  });

  it("exports a file the platform's parser accepts, with the bundle's clone", () => {
    const db = openRuntimeDatabase(join(dir, "export.sqlite"));
    const memory = new ConversationMemory(db);
    memory.recordExchange("telegram", "1", maria, "Как дела?", "Всё отлично, спасибо!");
    const store = new CorrectionStore(db);
    store.record("telegram", { conversationId: "1", draft: "Всё отлично, спасибо!", ownerText: "норм)" });
    const text = correctionsFileOf(store.list(), {
      clone: { id: "clone-1", displayName: "Маша", adapterVersion: 3 },
      exportedAt: new Date(Date.UTC(2026, 11, 7)),
    });
    const file = parseCorrectionsFile(text);
    assert.deepEqual(file.clone, { id: "clone-1", displayName: "Маша", adapterVersion: 3 });
    assert.equal(file.exportedAt, "2026-12-07T00:00:00.000Z");
    assert.equal(file.corrections.length, 1);
    assert.equal(file.corrections[0]?.ownerText, "норм)");
    db.close();
  });
});
