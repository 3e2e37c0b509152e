/**
 * Neutral on purpose: the adapter learns the style from the replies, not from instructions. Short on
 * purpose too: it starts every sample and every prompt, and the longer bilingual sentence it replaces cost
 * SmolLM2's tokenizer a third of a median English sample (its Russian line alone was 66 tokens). Russian
 * first for the product's first users, English for the rest; the trainer records the exact words in the
 * adapter (prompt contract) and the runtime prompts with them.
 */
export const defaultSystemPrompt = "Ты — {name}.\nYou are {name}.";

/** The system prompt with `{name}` replaced by the owner's display name. */
export function systemPromptFor(template: string, ownerName: string): string {
  return template.replaceAll("{name}", ownerName);
}
