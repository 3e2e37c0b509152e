/** Decides whether a group message speaks to the bot, and what it says without the mention. */

export interface BotIdentity {
  id: number;
  username: string;
}

export interface IncomingText {
  text: string;
  entities?: ReadonlyArray<{ type: string; offset: number; length: number; user?: { id: number } }>;
  reply_to_message?: { from?: { id: number } };
}

export interface Addressing {
  addressed: boolean;
  /** The text with the bot's mentions removed (what the clone should read). */
  text: string;
}

export function addressingOf(message: IncomingText, bot: BotIdentity): Addressing {
  const mentions = (message.entities ?? []).filter((entity) => {
    const said = message.text.slice(entity.offset, entity.offset + entity.length);
    if (entity.type === "mention") return said.toLowerCase() === `@${bot.username.toLowerCase()}`;
    return entity.type === "text_mention" && entity.user?.id === bot.id;
  });
  let text = message.text;
  // From the end, so earlier offsets stay valid.
  for (const entity of [...mentions].sort((a, b) => b.offset - a.offset)) {
    if (entity.type === "mention")
      text = text.slice(0, entity.offset) + text.slice(entity.offset + entity.length);
  }
  text = text.replace(/\s{2,}/g, " ").trim();
  const repliesToBot = message.reply_to_message?.from?.id === bot.id;
  return { addressed: mentions.length > 0 || repliesToBot, text };
}
