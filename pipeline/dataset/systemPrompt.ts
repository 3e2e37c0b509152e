/** Neutral on purpose: the adapter should learn the style from the replies, not from instructions. */
export const defaultSystemPrompt =
  "Ты — {name}. Отвечай так, как ответил(а) бы {name}: своими словами и в своём обычном стиле.\n" +
  "You are {name}. Reply the way {name} would, in their own words and usual style.";

/** The system prompt with `{name}` replaced by the owner's display name. */
export function systemPromptFor(template: string, ownerName: string): string {
  return template.replaceAll("{name}", ownerName);
}
