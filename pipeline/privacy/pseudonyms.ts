/**
 * Deterministic stand-in names for contacts within one build ("Контакт 1", "Контакт 2", …), applied to
 * speaker prefixes and to mentions of the contacts' names in any text. Registering contacts in a fixed
 * order (the inspection's participant list) makes the numbering independent of where they first speak.
 */
export class Pseudonyms {
  private readonly labels = new Map<string, string>();
  /** Lower-cased full name -> label; matched case-insensitively. */
  private readonly fullNames = new Map<string, string>();
  /** Name token -> label, or null when two contacts share it (then it is left alone). */
  private readonly tokens = new Map<string, string | null>();
  private pattern: RegExp | null = null;
  private dirty = false;

  constructor(
    private readonly protectedNames: readonly string[] = [],
    private readonly prefix = "Контакт",
  ) {}

  /** The pseudonym of a contact, assigning the next number on first sight. */
  labelFor(contactKey: string, name: string | null): string {
    let label = this.labels.get(contactKey);
    if (label === undefined) {
      label = `${this.prefix} ${this.labels.size + 1}`;
      this.labels.set(contactKey, label);
    }
    if (name) this.learnName(name, label);
    return label;
  }

  /** Replaces every known contact name in a text with that contact's pseudonym. */
  replaceNames(text: string): string {
    const pattern = this.currentPattern();
    if (!pattern) return text;
    return text.replace(pattern, (found) => {
      const full = this.fullNames.get(found.toLowerCase());
      if (full) return full;
      return this.tokens.get(found) ?? found;
    });
  }

  private learnName(name: string, label: string): void {
    const trimmed = name.trim();
    if (trimmed.length === 0) return;
    const protectedTokens = new Set(this.protectedNames.flatMap((n) => nameTokens(n)));
    const lower = trimmed.toLowerCase();
    if (!this.fullNames.has(lower) && !this.protectedNames.some((p) => p.toLowerCase() === lower)) {
      this.fullNames.set(lower, label);
      this.dirty = true;
    }
    // First and last names alone are how people are mentioned; a token two contacts share, or the
    // owner's own, would point at the wrong person, so it stays as written.
    for (const token of nameTokens(trimmed)) {
      if (protectedTokens.has(token)) continue;
      const known = this.tokens.get(token);
      if (known === undefined) this.tokens.set(token, label);
      else if (known !== null && known !== label) this.tokens.set(token, null);
      else continue;
      this.dirty = true;
    }
  }

  private currentPattern(): RegExp | null {
    if (!this.dirty) return this.pattern;
    this.dirty = false;
    const alternatives = [
      ...[...this.fullNames.keys()],
      ...[...this.tokens].filter(([, label]) => label !== null).map(([token]) => token),
    ].sort((a, b) => b.length - a.length);
    this.pattern =
      alternatives.length === 0
        ? null
        : // Case-insensitive so full names match however typed; tokens are then checked for exact case
          // in replaceNames (a lowercase "роза" is a flower more often than Роза).
          new RegExp(
            `(?<![\\p{L}\\p{N}])(?:${alternatives.map(escapeRegex).join("|")})(?![\\p{L}\\p{N}])`,
            "giu",
          );
    return this.pattern;
  }
}

/** Name parts worth matching alone: at least three letters, so initials and particles are skipped. */
function nameTokens(name: string): string[] {
  return name.split(/[^\p{L}\p{N}'-]+/u).filter((t) => [...t].filter((c) => /\p{L}/u.test(c)).length >= 3);
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
