import { invalid } from "../../errors.js";
import { boundedText, nameText } from "../../text.js";
import { cloneLimits, LANGUAGE_TAG } from "../limits.js";
import type { CommandDeciders } from "./guards.js";

/** How the clone presents itself: its name, and the persona's display name, system prompt, language. */
export const personaDeciders: CommandDeciders<"ConfigurePersona" | "RenameClone"> = {
  RenameClone(command, state) {
    const name = nameText("name", command.name, { min: 1, max: cloneLimits.nameMax });
    if (name === state.name) return [];
    return [{ type: "CloneRenamed", data: { cloneId: command.cloneId, name } }];
  },
  ConfigurePersona(command) {
    const displayName = nameText("displayName", command.displayName, {
      min: 1,
      max: cloneLimits.displayNameMax,
    });
    const systemPrompt = boundedText("systemPrompt", command.systemPrompt, {
      min: 1,
      max: cloneLimits.systemPromptMax,
      multiline: true,
    });
    const language = command.language.trim();
    if (!LANGUAGE_TAG.test(language))
      throw invalid("language", `must be a language tag such as "ru" or "en"`);
    return [
      { type: "PersonaConfigured", data: { cloneId: command.cloneId, displayName, systemPrompt, language } },
    ];
  },
};
