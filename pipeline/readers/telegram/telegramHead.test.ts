import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { looksLikeTelegramExport } from "./telegramHead.js";

const head = (text: string) => Buffer.from(text, "utf8");

describe("looksLikeTelegramExport", () => {
  it("accepts single-chat and full exports", () => {
    assert.ok(
      looksLikeTelegramExport(
        "result.json",
        head('{\n "name": "A",\n "type": "personal_chat",\n "id": 1,\n "messages": ['),
      ),
    );
    assert.ok(
      looksLikeTelegramExport(
        "chats/chat_01/result.JSON",
        head('\uFEFF{"about": "x", "personal_information": {'),
      ),
    );
    assert.ok(looksLikeTelegramExport("x.json", head('{"chats": {"about": "", "list": [')));
    assert.ok(
      looksLikeTelegramExport("x.json", head('{"messages": [{"type": "message", "date_unixtime": "1"')),
    );
  });

  it("refuses other files", () => {
    assert.ok(!looksLikeTelegramExport("result.txt", head('{"messages": [], "type": "personal_chat"}')));
    assert.ok(
      !looksLikeTelegramExport(
        "x.json",
        head('{"guild": {"id": "1"}, "channel": {"id": "2"}, "messages": [{"type": "Default"'),
      ),
    );
    assert.ok(!looksLikeTelegramExport("x.json", head('[{"messages": []}]')));
    assert.ok(!looksLikeTelegramExport("package.json", head('{"name": "x", "version": "1.0.0"}')));
  });
});
