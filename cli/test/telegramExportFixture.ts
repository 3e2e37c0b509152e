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
