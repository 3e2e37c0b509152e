import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Pseudonyms } from "./pseudonyms.js";

describe("Pseudonyms", () => {
  it("numbers contacts in registration order, stably", () => {
    const p = new Pseudonyms();
    assert.equal(p.labelFor("user2", "Маша Иванова"), "Контакт 1");
    assert.equal(p.labelFor("user3", "Bob Smith"), "Контакт 2");
    assert.equal(p.labelFor("user2", "Маша Иванова"), "Контакт 1");
  });
  it("replaces full names case-insensitively and name tokens with their exact case", () => {
    const p = new Pseudonyms(["Иван Петров"]);
    p.labelFor("user2", "Маша Иванова");
    p.labelFor("user3", "Роза Петрова");
    assert.equal(
      p.replaceNames("маша иванова пришла, Маша и Иванова"),
      "Контакт 1 пришла, Контакт 1 и Контакт 1",
    );
    assert.equal(p.replaceNames("Роза купила розу, роза красная"), "Контакт 2 купила розу, роза красная");
  });
  it("leaves the owner's and shared name tokens alone", () => {
    const p = new Pseudonyms(["Иван Петров"]);
    p.labelFor("user2", "Иван Сидоров");
    p.labelFor("user3", "Анна Смирнова");
    p.labelFor("user4", "Анна Кузнецова");
    assert.equal(p.replaceNames("Иван, Сидоров, Анна, Смирнова"), "Иван, Контакт 1, Анна, Контакт 2");
  });
  it("does not touch parts of longer words", () => {
    const p = new Pseudonyms();
    p.labelFor("u", "Лев");
    assert.equal(p.replaceNames("Левый берег, Лев!"), "Левый берег, Контакт 1!");
  });
});
