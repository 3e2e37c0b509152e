/**
 * The corrections file: what `aiclone corrections export` writes from an installed clone and what the
 * platform accepts as an upload (`importCorrections`). A correction is the owner's own words: the reply the
 * clone drafted, and what the owner really sent instead, with the conversation before it. This module is
 * the one definition of the file; the platform imports it from `aiclone-runtime/corrections`.
 */
import { z } from "zod";

export const CORRECTIONS_FILE_FORMAT = "aiclone-corrections";
export const CORRECTIONS_FILE_VERSION = 1;
/** Limits a file must stay within: an upload is refused as a whole past them. */
export const CORRECTIONS_LIMITS = { corrections: 10_000, contextTurns: 40, textChars: 8_000 } as const;

const text = z.string().trim().min(1).max(CORRECTIONS_LIMITS.textChars);

export const correctionTurnSchema = z.strictObject({
  role: z.enum(["user", "assistant"]),
  content: z.string().max(CORRECTIONS_LIMITS.textChars),
});

export const correctionSchema = z.strictObject({
  /** Unique within the clone: importing the same file twice adds nothing. */
  id: z.string().min(1).max(100),
  at: z.iso.datetime({ offset: true }),
  /** Where the owner corrected the draft: "telegram", "web", "preview", … */
  channel: z.string().min(1).max(40),
  /** The turns before the reply, oldest first, the last one the user's (what the draft answered). */
  context: z.array(correctionTurnSchema).max(CORRECTIONS_LIMITS.contextTurns),
  /** The clone's draft, as generated. */
  draft: text,
  /** What the owner sent instead: the sample's assistant turn. */
  ownerText: text,
});

export const correctionsFileSchema = z.strictObject({
  format: z.literal(CORRECTIONS_FILE_FORMAT),
  version: z.literal(CORRECTIONS_FILE_VERSION),
  clone: z.strictObject({
    /** The platform's clone id when the bundle carries it, else null (the upload names the clone). */
    id: z.string().min(1).max(100).nullable(),
    displayName: z.string().max(200),
    /** The adapter version that drafted the replies, when known. */
    adapterVersion: z.number().int().positive().nullable(),
  }),
  exportedAt: z.iso.datetime({ offset: true }),
  corrections: z.array(correctionSchema).max(CORRECTIONS_LIMITS.corrections),
});

export type CorrectionTurn = z.infer<typeof correctionTurnSchema>;
export type Correction = z.infer<typeof correctionSchema>;
export type CorrectionsFile = z.infer<typeof correctionsFileSchema>;

export class CorrectionsFileError extends Error {
  override readonly name = "CorrectionsFileError";
}

/** Parses a corrections file's text; a refusal names the first problems with their paths. */
export function parseCorrectionsFile(json: string): CorrectionsFile {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    throw new CorrectionsFileError(`not a corrections file: ${(error as Error).message}`);
  }
  const result = correctionsFileSchema.safeParse(value);
  if (!result.success) {
    const problems = result.error.issues
      .slice(0, 5)
      .map((issue) => `${issue.path.join(".") || "(file)"}: ${issue.message}`)
      .join("; ");
    throw new CorrectionsFileError(`not a valid corrections file: ${problems}`);
  }
  const ids = new Set<string>();
  for (const [index, correction] of result.data.corrections.entries()) {
    if (ids.has(correction.id)) {
      throw new CorrectionsFileError(`corrections.${index}.id: duplicate id '${correction.id}'`);
    }
    ids.add(correction.id);
  }
  return result.data;
}

/** The file's text for a set of corrections (pretty-printed, so the owner can read and edit it). */
export function serializeCorrectionsFile(file: Omit<CorrectionsFile, "format" | "version">): string {
  const whole: CorrectionsFile = {
    format: CORRECTIONS_FILE_FORMAT,
    version: CORRECTIONS_FILE_VERSION,
    ...file,
  };
  correctionsFileSchema.parse(whole);
  return `${JSON.stringify(whole, null, 2)}\n`;
}
