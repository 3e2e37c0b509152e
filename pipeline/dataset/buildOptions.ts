import { SelectionLists } from "../samples/chatSelection.js";
import { maxNearDuplicateDistance } from "../samples/sampleDeduper.js";
import { DatasetOwner } from "./owner.js";
import { ReadProgress } from "./recordSource.js";
import { SourceSummary } from "./sourceSummary.js";
import { defaultSystemPrompt } from "./systemPrompt.js";

export interface BuildOptions extends Partial<SelectionLists> {
  owner: DatasetOwner;
  /** Where train.jsonl, val.jsonl and stats.json go; required unless dryRun. */
  outDir?: string;
  /** Compute the stats only: no jsonl is written (stats.json still is, when outDir is given). */
  dryRun?: boolean;
  /** `{name}` is replaced by the owner's name; false for no system message. */
  systemPrompt?: string | false;
  /** Silence that ends a session, in hours (default 6). */
  sessionGapHours?: number;
  /** Kept messages after which a session is cut regardless of silence (default 5000): bounds memory. */
  maxSessionMessages?: number;
  maxTurnChars?: number;
  maxSampleTurns?: number;
  maxSampleChars?: number;
  /** Share of sessions held out for validation (default 0.1). */
  valFraction?: number;
  /** SimHash Hamming distance up to which samples are near-duplicates (0–7, default 3; -1 turns it off). */
  nearDuplicateDistance?: number;
  /** Replace phones, e-mails, cards, IBANs, addresses and links (default true). */
  redact?: boolean;
  /** Replace contacts' names with "Контакт N" (default false). */
  pseudonymize?: boolean;
  pseudonymPrefix?: string;
  includeBotChats?: boolean;
  /**
   * Keep conversations the owner starts: their opening turn becomes an opener sample (system, then the
   * owner's turn, no user turn) instead of being dropped as leadingOwnerTurn (default true).
   */
  openers?: boolean;
  /** The inspection of the same source: pseudonyms are then numbered by overall activity. */
  summary?: SourceSummary;
  maxSkippedExamples?: number;
  /**
   * Called once the whole source is read, before anything is held out or committed; if it throws, the
   * staged files are discarded and the error is the build's (inspectAndBuild checks its owner guess here).
   */
  afterRead?: () => void;
  signal?: AbortSignal;
  /**
   * Where each sample's hashing and style measures run: on a worker thread once the build has made
   * `threadAfterSamples` samples ("auto", the default: 512), on one from the start ("always") or on the
   * build's own thread ("never"). The output is the same either way; not recorded in stats.json.
   */
  sampleChecksThread?: "auto" | "always" | "never";
  onProgress?: (progress: ReadProgress & { samples: number }) => void;
  bytesRead?: () => number;
  progressEvery?: number;
}

/** The options as used, recorded in stats.json (no callbacks, no summary). */
export interface EffectiveOptions extends SelectionLists {
  dryRun: boolean;
  systemPrompt: string | false;
  sessionGapHours: number;
  maxSessionMessages: number;
  maxTurnChars: number;
  maxSampleTurns: number;
  maxSampleChars: number;
  valFraction: number;
  nearDuplicateDistance: number;
  redact: boolean;
  pseudonymize: boolean;
  pseudonymPrefix: string;
  includeBotChats: boolean;
  openers: boolean;
  maxSkippedExamples: number;
}

/** A build option that makes no sense; names the option and what was wrong. */
export class DatasetOptionsError extends Error {
  override readonly name = "DatasetOptionsError";
  constructor(
    readonly option: string,
    message: string,
  ) {
    super(`${option}: ${message}`);
  }
}

function positive(option: string, value: number, integer = true): number {
  if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value)))
    throw new DatasetOptionsError(
      option,
      `must be a positive ${integer ? "integer" : "number"}, got ${value}`,
    );
  return value;
}

function stringList(option: string, value: readonly string[] | undefined): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== "string" || v.trim() === ""))
    throw new DatasetOptionsError(option, "must be a list of non-empty chat/contact ids or names");
  return [...value];
}

export function effectiveOptions(options: BuildOptions): EffectiveOptions {
  if (!options.owner || options.owner.ids.length === 0)
    throw new DatasetOptionsError("owner", "must name at least one author id (resolve it from inspect())");
  const dryRun = options.dryRun ?? false;
  if (!dryRun && !options.outDir) throw new DatasetOptionsError("outDir", "is required unless dryRun is set");
  const maxTurnChars = positive("maxTurnChars", options.maxTurnChars ?? 2000);
  const maxSampleTurns = positive("maxSampleTurns", options.maxSampleTurns ?? 40);
  const maxSampleChars = positive("maxSampleChars", options.maxSampleChars ?? 8000);
  if (maxSampleTurns < 2)
    throw new DatasetOptionsError("maxSampleTurns", "must be at least 2 (a question and a reply)");
  if (maxSampleChars < 2 * maxTurnChars)
    throw new DatasetOptionsError(
      "maxSampleChars",
      `must be at least twice maxTurnChars (${2 * maxTurnChars})`,
    );
  const valFraction = options.valFraction ?? 0.1;
  if (!(valFraction >= 0 && valFraction < 1))
    throw new DatasetOptionsError("valFraction", `must be in [0, 1), got ${valFraction}`);
  const nearDuplicateDistance = options.nearDuplicateDistance ?? 3;
  if (
    !Number.isInteger(nearDuplicateDistance) ||
    nearDuplicateDistance < -1 ||
    nearDuplicateDistance > maxNearDuplicateDistance
  )
    throw new DatasetOptionsError(
      "nearDuplicateDistance",
      `must be an integer from -1 to ${maxNearDuplicateDistance}`,
    );
  return {
    dryRun,
    systemPrompt: options.systemPrompt ?? defaultSystemPrompt,
    sessionGapHours: positive("sessionGapHours", options.sessionGapHours ?? 6, false),
    maxSessionMessages: positive("maxSessionMessages", options.maxSessionMessages ?? 5000),
    maxTurnChars,
    maxSampleTurns,
    maxSampleChars,
    valFraction,
    nearDuplicateDistance,
    redact: options.redact ?? true,
    pseudonymize: options.pseudonymize ?? false,
    pseudonymPrefix: options.pseudonymPrefix ?? "Контакт",
    includeBotChats: options.includeBotChats ?? false,
    openers: options.openers ?? true,
    maxSkippedExamples: options.maxSkippedExamples ?? 20,
    includeChats: stringList("includeChats", options.includeChats),
    excludeChats: stringList("excludeChats", options.excludeChats),
    includeContacts: stringList("includeContacts", options.includeContacts),
    excludeContacts: stringList("excludeContacts", options.excludeContacts),
  };
}
