/**
 * The fidelity report measured where the person meets the clone: replies generated through the runtime's
 * engine and prompt path (node-llama-cpp, the clone's adapter) for held-out prompts, compared with the
 * owner's real replies and with the base model's. Pure: the generation harness gathers the input, this
 * file only measures it. It is written to metrics.json under `fidelity`; see docs/fidelity.md.
 */
import { type AuthorshipModel, type AuthorshipOptions, trainAuthorship } from "./authorshipClassifier.js";
import { type ReplyStyle, replyStyle, styleDistance } from "./replyStyle.js";
import { distinctReplyRatio, hitLimitShare } from "./replyVariety.js";

export interface GeneratedReply {
  text: string;
  finishReason: "stop" | "length" | "abort";
  tokens: number;
}

export interface FidelityItem {
  /** The contact's message the reply answers. */
  prompt: string;
  /** The turns before it that the model saw (empty in the "single" mode). */
  context: { role: "user" | "assistant"; content: string }[];
  /** What the owner really answered. */
  owner: string;
  base: GeneratedReply;
  clone: GeneratedReply;
}

export interface FidelityInput {
  /** For the authorship classifier: the owner's replies and the contacts' messages of the training split. */
  trainSplit: { owner: string[]; others: string[] };
  /** "single": the last user message alone; "context": with the preceding turns. */
  modes: { single: FidelityItem[]; context: FidelityItem[] };
  sampling: { temperature: number; topP: number; repeatPenalty: number; maxTokens: number; seed: number };
  /** From the trainer (HF, same token ids). */
  perplexity?: { base: number; adapted: number } | null;
  heldOut: { source: "sessions" | "turns"; sessions: number; replies: number };
}

/** One column of a mode's table: the owner's real replies, the base model's or the clone's. */
export interface FidelitySide {
  style: ReplyStyle;
  /**
   * Distance of this side's style from the owner's style in the training split (replyStyle.styleDistance).
   * The owner's own held-out replies have one too: the floor that sampling noise alone gives.
   */
  styleDistance: number | null;
  /** Share of the replies the authorship classifier attributes to the owner. */
  authorship: number;
  /** Distinct normalised replies / replies. */
  distinct: number;
  /** Share cut by the token limit (0 for the owner). */
  hitLimit: number;
}

export interface FidelityModeReport {
  prompts: number;
  owner: FidelitySide;
  base: FidelitySide;
  clone: FidelitySide;
}

/** The headline, each number in [0, 1]; see soundsLikeYou. */
export interface SoundsLikeYou {
  score: number;
  parts: { authorship: number; style: number; variety: number };
}

export interface FidelityReport {
  version: 1;
  /** Generation through the runtime's engine and prompt path. */
  measuredWith: "runtime";
  sampling: FidelityInput["sampling"];
  heldOut: FidelityInput["heldOut"];
  perplexity: { base: number; adapted: number } | null;
  modes: { single: FidelityModeReport; context: FidelityModeReport };
  /** The clone's score; `base` is the same score for the base model, so the adapter's effect shows. */
  soundsLikeYou: SoundsLikeYou & { base: SoundsLikeYou };
  /** A few, side by side. */
  samples: { mode: FidelityMode; prompt: string; owner: string; base: string; clone: string }[];
}

export type FidelityMode = "single" | "context";
export const FIDELITY_MODES: readonly FidelityMode[] = ["single", "context"];

/** Why no report was measured, as a code the CLI and the dashboard explain in their own words. */
export const FIDELITY_SKIP_REASONS = {
  "no-held-out": "nothing could be held out of the dataset to test the clone on",
  "too-few-sessions": "the dataset has too few conversations to hold some out for testing",
  "no-training-split": "the training split lacks the owner's replies or the contacts' messages",
} as const;
export type FidelitySkipReason = keyof typeof FIDELITY_SKIP_REASONS;

export interface FidelitySkipped {
  version: 1;
  /** A reason code: one of FIDELITY_SKIP_REASONS, or another a later version adds. */
  skipped: string;
  /** An English sentence. */
  detail: string;
}

export function fidelitySkipped(reason: FidelitySkipReason, detail?: string): FidelitySkipped {
  return { version: 1, skipped: reason, detail: detail ?? `${FIDELITY_SKIP_REASONS[reason]}.` };
}

export function isFidelitySkipped(value: FidelityReport | FidelitySkipped): value is FidelitySkipped {
  return "skipped" in value;
}

/**
 * How much each part weighs in the headline. Authorship dominates: it is the only part that reads whole
 * replies (words, spelling, phrasing, punctuation together) with a model learned from the owner's own
 * messages. Style is a handful of surface habits a base model can match by accident (short replies, no
 * capitals). Variety only guards against a degenerate clone (the same "ок" to everything) that could
 * otherwise pass both.
 */
export const SOUNDS_LIKE_YOU_WEIGHTS = { authorship: 0.6, style: 0.25, variety: 0.15 } as const;

/**
 * Below this the classifier is no better than chance at recognising the owner's real replies (its priors
 * are equal), so dividing by the owner's share would reward noise.
 */
const AUTHORSHIP_FLOOR = 0.5;

const clamp01 = (x: number) => Math.min(1, Math.max(0, x));

/**
 * "Sounds like you" for one side ("clone", or "base" for comparison), each part in [0, 1], averaged over
 * the modes that have prompts:
 * - authorship = min(1, side's share attributed to the owner / max(owner's held-out share, 0.5)): as often
 *   taken for the owner as the owner's own replies are;
 * - style = 1 − max(0, side's style distance − the owner's held-out style distance): distance beyond what
 *   the owner's own held-out replies show (both against the training split's style); 0 with no replies;
 * - variety = min(1, side's distinct ratio / owner's distinct ratio);
 * score = 0.6·authorship + 0.25·style + 0.15·variety (SOUNDS_LIKE_YOU_WEIGHTS). All zero with no prompts.
 */
export function soundsLikeYou(modes: readonly FidelityModeReport[], side: "clone" | "base"): SoundsLikeYou {
  const measured = modes.filter((m) => m.prompts > 0);
  const parts = { authorship: 0, style: 0, variety: 0 };
  for (const mode of measured) {
    const own = mode.owner;
    const them = mode[side];
    parts.authorship += Math.min(1, them.authorship / Math.max(own.authorship, AUTHORSHIP_FLOOR));
    parts.style +=
      them.styleDistance === null
        ? 0
        : clamp01(1 - Math.max(0, them.styleDistance - (own.styleDistance ?? 0)));
    parts.variety += own.distinct > 0 ? Math.min(1, them.distinct / own.distinct) : 0;
  }
  if (measured.length > 0) {
    parts.authorship /= measured.length;
    parts.style /= measured.length;
    parts.variety /= measured.length;
  }
  const w = SOUNDS_LIKE_YOU_WEIGHTS;
  const score = w.authorship * parts.authorship + w.style * parts.style + w.variety * parts.variety;
  return { score, parts };
}

function side(
  replies: readonly string[],
  generated: readonly GeneratedReply[] | null,
  classifier: AuthorshipModel,
  reference: ReplyStyle,
): FidelitySide {
  const style = replyStyle(replies);
  return {
    style,
    styleDistance: styleDistance(style, reference),
    authorship: classifier.shareAttributedToOwner(replies),
    distinct: distinctReplyRatio(replies),
    hitLimit: generated ? hitLimitShare(generated) : 0,
  };
}

function modeReport(items: readonly FidelityItem[], classifier: AuthorshipModel, reference: ReplyStyle) {
  const base = items.map((i) => i.base);
  const clone = items.map((i) => i.clone);
  return {
    prompts: items.length,
    owner: side(
      items.map((i) => i.owner),
      null,
      classifier,
      reference,
    ),
    base: side(
      base.map((r) => r.text),
      base,
      classifier,
      reference,
    ),
    clone: side(
      clone.map((r) => r.text),
      clone,
      classifier,
      reference,
    ),
  };
}

/** Up to `count` items, taken from the modes in turn (single, context, single, …), in their order. */
function pickSamples(modes: FidelityInput["modes"], count: number): FidelityReport["samples"] {
  const samples: FidelityReport["samples"] = [];
  for (let i = 0; samples.length < count; i++) {
    const round = FIDELITY_MODES.map((mode) => [mode, modes[mode][i]] as const).filter(([, item]) => item);
    if (round.length === 0) break;
    for (const [mode, item] of round)
      if (samples.length < count && item)
        samples.push({
          mode,
          prompt: item.prompt,
          owner: item.owner,
          base: item.base.text,
          clone: item.clone.text,
        });
  }
  return samples;
}

export interface FidelityReportOptions {
  /** Side-by-side samples kept in the report. Default 3. */
  samples?: number;
  classifier?: AuthorshipOptions;
}

/**
 * Measures the report, or says why it cannot: "no-held-out" when neither mode has an item (or nothing was
 * held out), "no-training-split" when the classifier has no owner replies or no contacts' messages to learn
 * from. Deterministic for a given input.
 */
export function buildFidelityReport(
  input: FidelityInput,
  options: FidelityReportOptions = {},
): FidelityReport | FidelitySkipped {
  const { single, context } = input.modes;
  if (single.length + context.length === 0 || input.heldOut.replies === 0)
    return fidelitySkipped(
      "no-held-out",
      "No held-out prompt was generated for, so there is nothing to compare.",
    );
  const hasText = (list: readonly string[]) => list.some((t) => t.length > 0);
  if (!hasText(input.trainSplit.owner) || !hasText(input.trainSplit.others))
    return fidelitySkipped(
      "no-training-split",
      `The training split has ${input.trainSplit.owner.length} owner replies and ${input.trainSplit.others.length} contacts' messages; the authorship classifier needs both.`,
    );
  const classifier = trainAuthorship(input.trainSplit, options.classifier);
  const reference = replyStyle(input.trainSplit.owner);
  const modes = {
    single: modeReport(single, classifier, reference),
    context: modeReport(context, classifier, reference),
  };
  const both = [modes.single, modes.context];
  return {
    version: 1,
    measuredWith: "runtime",
    sampling: { ...input.sampling },
    heldOut: { ...input.heldOut },
    perplexity: input.perplexity ? { base: input.perplexity.base, adapted: input.perplexity.adapted } : null,
    modes,
    soundsLikeYou: { ...soundsLikeYou(both, "clone"), base: soundsLikeYou(both, "base") },
    samples: pickSamples(input.modes, options.samples ?? 3),
  };
}
