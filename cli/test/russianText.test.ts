import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { RussianTextCheck, russianCatalogue } from "./russianText.js";

const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));

describe("the Russian-text check of the dashboard walk", () => {
  const catalogue = russianCatalogue(repoRoot);

  it("reads the whole ru catalogue, multi-line values included", () => {
    assert.ok(catalogue.length > 400, `${catalogue.length} values`);
    assert.ok(catalogue.includes("Ваши клоны"));
    assert.ok(catalogue.some((v) => v.startsWith("Опишите, кто это и как он пишет")));
  });

  it("passes catalogue text, numbers, dates, ids and allowed names", () => {
    const check = new RussianTextCheck(catalogue, ["Аня", "Петя"]);
    assert.deepEqual(
      check.untranslated([
        "Ваши клоны",
        "Шаг 3 из 10",
        "12,5",
        "6 дек. 2026 г., 23:40",
        "Аня",
        "Запуск 0193a8e4-1c2b-7d3e-9f00-abcdefabcdef, адаптер v1",
        "ak_1a2b3c4d",
      ]),
      [],
    );
  });

  it("flags English, raw codes, event names and server paths (a string put back fails)", () => {
    const check = new RussianTextCheck(catalogue, ["Аня"]);
    const flagged = check.untranslated([
      "initial key",
      "trailingUserTurn",
      "InstallTokenCreated",
      "кто: owner:0193a8e4-1c2b-7d3e-9f00-abcdefabcdef",
      "data/scratch/pipeline/job-12/upload.zip skipped",
      "whatsapp-txt",
      "Send",
    ]);
    assert.equal(flagged.length, 7, flagged.join("\n"));
    assert.match(flagged[0]!, /\[initial, key\]/);
  });

  it("the ru catalogue's Latin words are names, formats and terms only (an English phrase put in it fails)", () => {
    const latin = new Set(catalogue.flatMap((v) => v.replace(/\{\w+\}/g, " ").match(/[A-Za-z]+/g) ?? []));
    // Product and format names, units and placeholders, and the language switch (written for English readers).
    const known =
      `AI API Alpha Apache B CPU Clone DPO Discord DiscordChatExporter Dropout EMAIL GGUF GPU HTML IBAN
      INSTALL Instruct JSON Llama LoRA Loss M N OCR ORPO PHONE Qwen Seed SmolLM TOKEN Telegram URL WhatsApp ak cpp e
      json llama localStorage loss mail node p result sha top txt v zip English Switch to`.split(/\s+/);
    const extra = [...latin].filter((w) => !known.includes(w));
    assert.deepEqual(extra, [], `English in the Russian catalogue: ${extra.join(", ")}`);
  });
});
