import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { shouldAnswer, withoutBotMention } from "../messageAddressing.js";

const config = { allowedUserIds: ["1"], allowedChannelIds: ["10"], public: false };
const facts = { authorId: "1", authorIsBot: false, guildChannelId: null, mentionsBot: false };

describe("discord answering rules", () => {
  it("answers DMs from allowed users only", () => {
    assert.equal(shouldAnswer(config, facts).answer, true);
    assert.equal(shouldAnswer(config, { ...facts, authorId: "2" }).answer, false);
    assert.equal(shouldAnswer({ ...config, public: true }, { ...facts, authorId: "2" }).answer, true);
  });
  it("answers in servers only when mentioned in an allowed channel", () => {
    assert.equal(shouldAnswer(config, { ...facts, guildChannelId: "10", mentionsBot: true }).answer, true);
    assert.equal(shouldAnswer(config, { ...facts, guildChannelId: "10" }).reason, "not mentioned");
    assert.equal(
      shouldAnswer(config, { ...facts, guildChannelId: "11", mentionsBot: true }).reason,
      "channel not on the allow-list",
    );
  });
  it("never answers bots", () => {
    assert.equal(shouldAnswer({ ...config, public: true }, { ...facts, authorIsBot: true }).answer, false);
  });
  it("strips both mention forms", () => {
    assert.equal(withoutBotMention("<@42> привет <@!42>  как дела", "42"), "привет как дела");
    assert.equal(withoutBotMention("<@43> привет", "42"), "<@43> привет");
  });
});
