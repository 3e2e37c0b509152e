import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { markdownSections } from "./markdownSections.js";

describe("markdownSections", () => {
  it("starts a section at each heading, the heading as its locator and first line", () => {
    const sections = markdownSections(
      "Вступление.\n\n# Кошки\n\nКошки любят рыбу.\n\n## Породы ##\n\nСиамская.\n",
    );
    assert.deepEqual(sections, [
      { text: "Вступление.\n" },
      { text: "Кошки\n\n\nКошки любят рыбу.\n", locator: "Кошки" },
      { text: "Породы\n\n\nСиамская.\n", locator: "Породы" },
    ]);
  });

  it("ignores headings inside fenced code", () => {
    const sections = markdownSections("# Скрипт\n\n```bash\n# не заголовок\necho привет\n```\nПосле кода.");
    assert.equal(sections.length, 1);
    assert.equal(sections[0]?.locator, "Скрипт");
    assert.match(sections[0]?.text ?? "", /# не заголовок/);
  });

  it("does not take #hashtags or #without-space for headings", () => {
    assert.deepEqual(markdownSections("#тег и текст"), [{ text: "#тег и текст" }]);
  });
});
