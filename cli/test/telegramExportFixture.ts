/** A Telegram single-chat export: Аня (the owner) and Петя talk over several days. */
export function telegramExport(): string {
  const messages: unknown[] = [];
  let id = 1;
  const start = Date.UTC(2024, 0, 10, 9, 0, 0) / 1000;
  for (let day = 0; day < 12; day++) {
    const t0 = start + day * 86_400;
    const lines: [string, string][] = [
      ["user2", `Привет! как дела, день ${day}?`],
      ["user1", `норм)) сегодня ${day} день, работаю`],
      ["user1", "а ты как"],
      ["user2", "тоже ок. позвони мне +7 912 345-67-89"],
      ["user1", `хорошо, наберу вечером ${day % 3 === 0 ? "😊" : ""}`.trim()],
    ];
    lines.forEach(([from, text], i) => {
      const t = t0 + i * 60;
      messages.push({
        id: id++,
        type: "message",
        date: new Date(t * 1000).toISOString().slice(0, 19),
        date_unixtime: String(t),
        from: from === "user1" ? "Аня" : "Петя",
        from_id: from,
        text,
      });
    });
  }
  return JSON.stringify({ name: "Петя", type: "personal_chat", id: 2, messages }, null, 1);
}

/** A Telegram chat in which Alice answers Bob tersely, lowercase, often with an emoji. */
export function terseTelegramExport(): string {
  const asks = [
    "are you coming",
    "can you send the file",
    "want to grab lunch",
    "did you see the game",
    "call me later",
    "any news",
  ];
  const when = ["today", "tomorrow", "tonight", "this week", "now", "later"];
  const heads = ["yo ok", "lol sure", "nah", "ok cool", "hmm maybe", "yep"];
  const tails = ["👍", "😎", "see ya", "on it", "lol", "🔥"];
  const messages: object[] = [];
  let id = 1;
  let t = Date.parse("2024-01-01T10:00:00Z");
  for (let i = 0; i < 36; i++) {
    const ask = `${asks[i % 6]} ${when[Math.floor(i / 6)]}?`;
    const reply = `${heads[(i * 5) % 6]} ${tails[Math.floor(i / 6)]}`;
    for (const [from, fromId, text] of [
      ["Bob", "user2", ask],
      ["Alice", "user1", reply],
    ] as const) {
      const date = new Date(t).toISOString().slice(0, 19);
      messages.push({
        id: id++,
        type: "message",
        date,
        date_unixtime: String(t / 1000),
        from,
        from_id: fromId,
        text,
        text_entities: [{ type: "plain", text }],
      });
      t += 60_000;
    }
    t += 12 * 3_600_000; // each exchange its own session, so each is a sample
  }
  return JSON.stringify({ name: "Bob", type: "personal_chat", id: 2, messages });
}
