import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ibanValid } from "./ibanChecksum.js";
import { luhnValid } from "./luhn.js";
import { redactText } from "./redactText.js";

function redacts(text: string, expected: string, kind: string, count = 1): void {
  const result = redactText(text);
  assert.equal(result.text, expected, text);
  assert.equal(
    (result.counts as Record<string, number>)[kind],
    count,
    `${text}: ${JSON.stringify(result.counts)}`,
  );
}

function keeps(text: string): void {
  const result = redactText(text);
  assert.equal(result.text, text, `${text} -> ${result.text}`);
  assert.deepEqual(result.counts, {}, text);
}

describe("redactText: phones", () => {
  const phones = [
    "+7 (916) 123-45-67",
    "+7 916 123 45 67",
    "+79161234567",
    "8 (916) 123-45-67",
    "8-916-123-45-67",
    "89161234567",
    "8 (495) 123-45-67",
    "(916) 123-45-67",
    "916 123-45-67",
    "+44 20 7946 0958",
    "+380 50 123 4567",
    "+1-555-123-4567",
    "(555) 123-4567",
    "555-123-4567",
    "123-45-67",
  ];
  for (const phone of phones)
    it(`replaces ${phone}`, () => redacts(`звони ${phone}, жду`, "звони <PHONE>, жду", "phone"));

  const notPhones = [
    "встреча 2024-05-12 в 18:30",
    "12.05.2024",
    "12/05/2024 10:00",
    "цена 1 500 000 руб",
    "стоит 12 999,99 ₽",
    "версия 1.2.3 и v10.15.7",
    "сервер 192.168.100.200",
    "в 1999 2000 2001 годах",
    "счёт 3:2, 45 минут",
    "ISBN 978-5-17-090630-4",
    "он набрал 120 кг",
    "id 42",
  ];
  for (const text of notPhones) it(`keeps "${text}"`, () => keeps(text));
});

describe("redactText: cards", () => {
  for (const card of [
    "4111 1111 1111 1111",
    "4111-1111-1111-1111",
    "4111111111111111",
    "3782 822463 10005",
    "5500 0000 0000 0004",
  ])
    it(`replaces ${card}`, () => redacts(`карта ${card} спасибо`, "карта <CARD> спасибо", "card"));
  it("keeps numbers that fail Luhn or are grouped like prices", () => {
    keeps("номер 4111 1111 1111 1112");
    keeps("итого 1 234 567 890 123 ₽");
    keeps("заказ 1234567890123 (проверка)".replace("1234567890123", "1234567890124"));
  });
  it("checks Luhn", () => {
    assert.ok(luhnValid("4111111111111111"));
    assert.ok(!luhnValid("4111111111111112"));
    assert.ok(!luhnValid(""));
  });
});

describe("redactText: IBANs", () => {
  it("replaces valid IBANs with or without spaces", () => {
    redacts("IBAN DE89 3704 0044 0532 0130 00 ok", "IBAN <IBAN> ok", "iban");
    redacts("GB82WEST12345698765432", "<IBAN>", "iban");
    redacts("платёж на UA21 3223 1300 0002 6007 2335 6600 1", "платёж на <IBAN>", "iban");
  });
  it("keeps strings that fail the checksum", () => {
    keeps("DE89 3704 0044 0532 0130 01");
    keeps("код AB12 CDEF GHIJ KLMN");
    assert.ok(ibanValid("DE89370400440532013000"));
    assert.ok(!ibanValid("DE88370400440532013000"));
  });
});

describe("redactText: e-mails and links", () => {
  it("replaces e-mails", () => {
    redacts("пиши на ivan.petrov+chat@mail.ru.", "пиши на <EMAIL>.", "email");
    redacts("почта: маша@почта.рф", "почта: <EMAIL>", "email");
  });
  it("replaces links and leaves trailing punctuation and smileys", () => {
    redacts("глянь https://example.com/a?b=1))", "глянь <URL>))", "url");
    redacts("see www.example.org/page.", "see <URL>.", "url");
    redacts("канал t.me/some_channel, заходи", "канал <URL>, заходи", "url");
    redacts("http://a.ru и https://b.ru/x", "<URL> и <URL>", "url", 2);
  });
  it("keeps file names and plain words with dots", () => {
    keeps("скинь report.pdf и т.д.");
    keeps("e.g. this one");
  });
  it("a link with digits is one URL, not a phone", () => {
    const result = redactText("https://site.ru/order/89161234567");
    assert.equal(result.text, "<URL>");
    assert.deepEqual(result.counts, { url: 1 });
  });
});

describe("redactText: addresses", () => {
  const addresses: Array<[string, string]> = [
    ["живу на ул. Ленина, д. 5, кв. 12, заходи", "живу на <ADDRESS>, заходи"],
    ["улица Пушкина дом 10", "<ADDRESS>"],
    ["пр-т Мира 15", "<ADDRESS>"],
    ["Невский проспект, 28", "<ADDRESS>"],
    ["пер. Гривцова, д. 4, корп. 2", "<ADDRESS>"],
    ["д. 7, кв. 3 на пятом этаже", "<ADDRESS> на пятом этаже"],
    ["I live at 123 Main St, Apt 4 now", "I live at <ADDRESS> now"],
    ["221B? no, 742 Evergreen Terrace Avenue", "221B? no, <ADDRESS>"],
    ["come to 10 Downing Street today", "come to <ADDRESS> today"],
  ];
  for (const [text, expected] of addresses)
    it(`replaces in "${text}"`, () => redacts(text, expected, "address"));
  it("keeps ordinary sentences", () => {
    keeps("I walked 5 miles down the street");
    keeps("пулемёт и тулуп");
    keeps("и т. д. 5 раз");
    keeps("3 дня назад");
  });
});

describe("redactText: mixed", () => {
  it("counts each kind and keeps the rest of the message", () => {
    const result = redactText(
      "Маша, +7 916 123-45-67, masha@example.com, https://vk.com/masha и 4111 1111 1111 1111 — ок)",
    );
    assert.equal(result.text, "Маша, <PHONE>, <EMAIL>, <URL> и <CARD> — ок)");
    assert.deepEqual(result.counts, { phone: 1, email: 1, url: 1, card: 1 });
  });
  it("never empties a message", () => {
    assert.equal(redactText("+79161234567").text, "<PHONE>");
  });
});
