import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { groupNameFromNotices } from "./chatIdentity.js";
import { readFile } from "./test/collect.js";
import { fileFromBytes } from "./test/exportFiles.js";

describe("a WhatsApp group's name from its notices (iOS names the file _chat.txt)", () => {
  test("creation and renames in English, Russian and German; the latest wins", () => {
    assert.equal(
      groupNameFromNotices(["Loris created group “WhatsApp Chat Parser Example”"]),
      "WhatsApp Chat Parser Example",
    );
    assert.equal(groupNameFromNotices(['\u200eYou created group "A: B"']), "A: B");
    assert.equal(groupNameFromNotices(["Маша создала группу «Семья»"]), "Семья");
    assert.equal(
      groupNameFromNotices([
        "Маша создал(а) группу «Семья»",
        "Петя изменил название группы с «Семья» на «Дача»",
      ]),
      "Дача",
    );
    assert.equal(groupNameFromNotices(["Anna hat die Gruppe „Familie“ erstellt"]), "Familie");
    assert.equal(groupNameFromNotices(["Ann changed the subject from “x” to “Trip 2024”"]), "Trip 2024");
  });

  test("a person's message that says the words is no notice", () => {
    assert.equal(groupNameFromNotices(['Ann: I created group "nonsense"', "Ann: hi"]), null);
  });

  test("the reader names the chat of an iOS group export by the group", async () => {
    const text = [
      "[20.06.19, 15:58:47] \u200eMessages to this group are now secured with end-to-end encryption.",
      "[20.06.19, 15:58:47] Loris created group “Поход”",
      "[20.06.19, 15:58:57] Loris: Welcome",
      "[20.06.19, 15:59:07] John: Thanks",
      "",
    ].join("\n");
    const r = await readFile(fileFromBytes(text, "_chat.txt"));
    assert.equal(r.chat.name, "Поход");
    assert.equal(r.chat.type, "group");
    assert.equal(
      (await readFile(fileFromBytes("[20.06.19, 15:58:57] Loris: hi\n", "_chat.txt"))).chat.name,
      null,
    );
  });
});
