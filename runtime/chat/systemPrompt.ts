/**
 * What the model is told before a conversation: the persona's own system prompt, who it talks to, and
 * passages from the person's documents with their sources. The runtime's own words are in the persona's
 * language (Russian or English; other languages get English), so they do not pull the model into
 * another language.
 */
import type { ChatPartner, Passage } from "../plugin/pluginApi.js";

interface PromptWords {
  partner(name: string): string;
  passagesHeading: string;
  passagesHint: string;
  source: string;
}

const WORDS: Record<"en" | "ru", PromptWords> = {
  en: {
    partner: (name) => `You are talking with ${name}.`,
    passagesHeading: "## From your documents",
    passagesHint: "Use these passages when they help; say which source you used.",
    source: "source",
  },
  ru: {
    partner: (name) => `Твой собеседник: ${name}.`,
    passagesHeading: "## Из твоих документов",
    passagesHint: "Используй эти фрагменты, если они помогают; называй источник.",
    source: "источник",
  },
};

export const promptWords = (language: string): PromptWords =>
  language.toLowerCase().split("-")[0] === "ru" ? WORDS.ru : WORDS.en;

/**
 * The format (documented in runtime/README.md):
 *
 *     <persona system prompt>
 *
 *     You are talking with <display name>.
 *
 *     ## From your documents
 *     Use these passages when they help; say which source you used.
 *
 *     [1] (source: notes/trip.md)
 *     <passage text>
 */
export function buildSystemPrompt(options: {
  persona: string;
  language: string;
  partner?: ChatPartner;
  passages?: readonly Passage[];
}): string {
  const words = promptWords(options.language);
  const parts = [options.persona.trim()];
  if (options.partner?.displayName.trim()) parts.push(words.partner(options.partner.displayName.trim()));
  if (options.passages && options.passages.length > 0) {
    const passages = options.passages.map(
      (passage, i) => `[${i + 1}] (${words.source}: ${passage.source})\n${passage.text.trim()}`,
    );
    parts.push([words.passagesHeading, words.passagesHint, "", passages.join("\n\n")].join("\n"));
  }
  return parts.filter((part) => part.length > 0).join("\n\n");
}
