import { DATASET_FILES } from "../../domain/artifacts/artifactKeys.js";
import { emptyRedactionCounts, PiiKind, RedactionCounts } from "../privacy/piiKind.js";
import { Pseudonyms } from "../privacy/pseudonyms.js";
import { redactText } from "../privacy/redactText.js";
import { ChatSampler } from "../samples/chatSampler.js";
import { SampleDeduper } from "../samples/sampleDeduper.js";
import { ChatTurn, Sample } from "../samples/sampleTypes.js";
import { StyleAccumulator } from "../style/styleAccumulator.js";
import { BuildOptions, EffectiveOptions, effectiveOptions } from "./buildOptions.js";
import { ChatTracker, TrackedChat } from "./chatTracker.js";
import { ChatStats, DatasetStats } from "./datasetStats.js";
import { ReadTracker, RecordSource } from "./recordSource.js";
import { inlineSampleChecks, SampleCheckRunner, WorkerSampleChecks } from "./sampleCheckRunners.js";
import { SAMPLE_NUMBERS, SampleChecksInput, SampleChecksResult } from "./sampleChecks.js";
import { renderSample, sampleRecord } from "./sampleRecord.js";
import { SkippedInputsTally } from "./skippedInputs.js";
import { StagedOutput } from "./stagedOutput.js";
import { systemPromptFor } from "./systemPrompt.js";
import { holdOutLastReplies } from "./valSplit.js";

// The folder's format: domain/artifacts/datasetFormat.schema.json.
const { train: trainFile, val: valFile, stats: statsFile } = DATASET_FILES;
/** With this many samples a validation split is always made, even if no session hashed into it. */
const minSamplesForVal = 10;
/** Samples checked together; batches in flight while the next is made; samples before a thread pays. */
const checkBatch = 64;
const batchesInFlight = 2;
const threadAfterSamples = 512;

/**
 * What the counts need of a sample once it is sent to be checked (its line is rendered then too): a few fields
 * instead of its turns and parts. Samples in flight outlive a young-generation collection or two, so each
 * is kept as two small objects and one string, not dozens of objects that would be copied and promoted.
 */
interface SampleFacts {
  chatKey: string;
  sessionStart: number;
  /** For an opener, its first turn's messages; else 0. */
  openerMessages: number;
  /** The owner's messages in each of the sample's owner turns, in order. */
  ownerTurns: number[];
  /** Redactions in all its messages, by kind; null when none. */
  redactions: Record<string, number> | null;
}

function factsOf(sample: Sample): SampleFacts {
  const ownerTurns: number[] = [];
  let redactions: Record<string, number> | null = null;
  for (const turn of sample.turns) {
    if (turn.role === "assistant") ownerTurns.push(turn.parts.length);
    for (const part of turn.parts)
      for (const kind in part.redactions) {
        redactions ??= {};
        redactions[kind] = (redactions[kind] ?? 0) + part.redactions[kind]!;
      }
  }
  return {
    chatKey: sample.chatKey,
    sessionStart: sample.sessionStart,
    openerMessages: sample.opener ? sample.turns[0]!.parts.length : 0,
    ownerTurns,
    redactions,
  };
}

/** The train session closest to the validation cut: moved to val if the hash put none there. */
interface ValFallback {
  point: number;
  firstLine: number;
  samples: number;
}

/**
 * Pass 2: turns the source into train.jsonl, val.jsonl and stats.json for the given owner. Streams:
 * memory holds one chat's open session, compact dedupe fingerprints and fixed-size counters.
 *
 * Steps: read every record into samples (DatasetBuild.read), hold out the validation split, then write
 * stats.json and commit the staged files; a failure or an abort discards them.
 */
export async function build(source: RecordSource, options: BuildOptions): Promise<DatasetStats> {
  const used = effectiveOptions(options);
  const output = options.outDir
    ? await StagedOutput.open(options.outDir, used.dryRun ? [statsFile] : [trainFile, valFile, statsFile])
    : null;
  const run = new DatasetBuild(options, used, output);
  try {
    await run.read(source);
    options.signal?.throwIfAborted();
    options.afterRead?.();
    await run.holdOutValidation();
    const stats = run.finalStats();
    if (output) {
      await output.writeWhole(statsFile, JSON.stringify(stats, null, 2));
      await output.commit(statsFile);
    }
    return stats;
  } catch (error) {
    await output?.discard();
    throw error;
  } finally {
    await run.close();
  }
}

/** One build's state: the counters of stats.json, the open chat's sampler and the split bookkeeping. */
class DatasetBuild {
  private readonly stats: DatasetStats;
  private readonly ownerKeys: Set<string>;
  private readonly systemPrompt: string | null;
  private readonly pseudonyms: Pseudonyms | null;
  private readonly redacted = emptyRedactionCounts();
  private readonly chatStats = new Map<string, ChatStats>();
  /** The owner's messages per identity in each chat (chat key → author key → messages). */
  private readonly chatIdentities = new Map<string, Map<string, number>>();
  private readonly skipped: SkippedInputsTally;
  private readonly style = new StyleAccumulator();
  private readonly deduper: SampleDeduper;
  private readonly tracker = new ChatTracker();
  /** Where samples go; null on a dry run, which writes stats.json only. */
  private readonly jsonl: StagedOutput | null;
  /** The chat whose messages are being sampled, with its sampler. */
  private open: { chat: TrackedChat; sampler: ChatSampler } | null = null;
  private fallback: ValFallback | null = null;
  /** Samples made but not yet sent to be checked. */
  private unchecked: Sample[] = [];
  /** Batches whose checks run, finished in order; each sample as its rendered JSON line and its facts. */
  private readonly checking: Array<{
    samples: SampleFacts[];
    lines: string[];
    result: Promise<SampleChecksResult>;
  }> = [];
  private checks: SampleCheckRunner = inlineSampleChecks;
  private samplesMade = 0;
  private lastTrainSession: string | null = null;

  constructor(
    private readonly options: BuildOptions,
    private readonly used: EffectiveOptions,
    output: StagedOutput | null,
  ) {
    const owner = options.owner;
    this.ownerKeys = new Set(owner.ids);
    this.systemPrompt = used.systemPrompt === false ? null : systemPromptFor(used.systemPrompt, owner.name);
    this.pseudonyms = used.pseudonymize ? new Pseudonyms([owner.name], used.pseudonymPrefix) : null;
    if (this.pseudonyms && options.summary)
      for (const p of options.summary.participants)
        if (!this.ownerKeys.has(p.id)) this.pseudonyms.labelFor(p.id, p.name);
    this.stats = emptyStats(owner, used);
    this.stats.systemPrompt = this.systemPrompt;
    this.skipped = new SkippedInputsTally(used.maxSkippedExamples);
    this.deduper = new SampleDeduper(used.nearDuplicateDistance);
    this.jsonl = used.dryRun ? null : output;
  }

  /** Reads the source once, sampling each chat's messages and writing the samples as they come. */
  async read(source: RecordSource): Promise<void> {
    const { options, stats } = this;
    const tracker = new ReadTracker({
      signal: options.signal,
      bytesRead: options.bytesRead,
      progressEvery: options.progressEvery,
      onProgress: options.onProgress && ((p) => options.onProgress?.({ ...p, samples: stats.samples })),
    });
    for await (const record of source()) {
      tracker.next(record);
      switch (record.type) {
        case "account":
          break;
        case "skipped":
          this.skipped.add(record.skipped);
          break;
        case "chat":
          await this.openChat(this.tracker.onChat(record.chat).chat);
          break;
        case "message": {
          stats.messagesRead++;
          const sampler = await this.openChat(this.tracker.chatOf(record.message).chat);
          for (const sample of sampler.push(record.message)) await this.emit(sample);
          break;
        }
      }
    }
    tracker.end();
    await this.closeChat();
    await this.checkPending();
    while (this.checking.length > 0) await this.finishOldestBatch();
  }

  /** Stops the checks' thread, if one was started. */
  async close(): Promise<void> {
    await this.checks.close();
  }

  /** The sampler of the given chat: the open one, or a new one after the open chat is closed. */
  private async openChat(chat: TrackedChat): Promise<ChatSampler> {
    if (this.open?.chat.key === chat.key) return this.open.sampler;
    await this.closeChat();
    if (!this.chatStats.has(chat.key))
      this.chatStats.set(chat.key, {
        id: chat.id,
        name: chat.name,
        type: chat.type,
        source: chat.source,
        messages: 0,
        ownerMessages: 0,
        samples: 0,
        skipped: null,
      });
    const sampler = this.samplerFor(chat);
    this.open = { chat, sampler };
    return sampler;
  }

  /** Emits the open chat's last session and adds its sampler's counts to the chat's and the build's. */
  private async closeChat(): Promise<void> {
    if (!this.open) return;
    const { chat, sampler } = this.open;
    for (const sample of sampler.finish()) await this.emit(sample);
    const stats = this.chatStats.get(chat.key)!;
    stats.messages += sampler.messages;
    stats.ownerMessages += sampler.ownerMessages;
    const byKey = this.chatIdentities.get(chat.key) ?? new Map<string, number>();
    for (const [key, n] of sampler.ownerMessagesByKey) byKey.set(key, (byKey.get(key) ?? 0) + n);
    this.chatIdentities.set(chat.key, byKey);
    stats.skipped ??= sampler.skipReason;
    this.stats.cutSessions += sampler.cutSessions;
    this.open = null;
  }

  private samplerFor(chat: TrackedChat): ChatSampler {
    const { used, stats, pseudonyms } = this;
    return new ChatSampler({
      chat,
      chatKey: chat.key,
      ownerKeys: this.ownerKeys,
      limits: {
        sessionGapMs: used.sessionGapHours * 3_600_000,
        maxSessionMessages: used.maxSessionMessages,
        maxTurnChars: used.maxTurnChars,
        maxSampleTurns: used.maxSampleTurns,
        maxSampleChars: used.maxSampleChars,
      },
      selection: used,
      includeBotChats: used.includeBotChats,
      openers: used.openers,
      prepareText: (text) => {
        const result = used.redact ? redactText(text) : { text, counts: {} };
        return {
          text: pseudonyms ? pseudonyms.replaceNames(result.text) : result.text,
          counts: result.counts,
        };
      },
      labelFor: (key, name) =>
        pseudonyms ? pseudonyms.labelFor(key, name) : (name ?? key.replace(/^name:/, "")),
      events: {
        droppedMessages: (reason, n) => count(stats.dropped, reason, n),
        droppedSample: (reason) => count(stats.droppedSamples, reason),
        truncatedMessage: () => stats.truncatedMessages++,
      },
    });
  }

  /** A sample made: checked in batches, each batch's pure work ahead (maybe on a thread), its decisions in order. */
  private async emit(sample: Sample): Promise<void> {
    this.unchecked.push(sample);
    if (this.unchecked.length >= checkBatch) await this.checkPending();
  }

  /** Sends the samples made so far to be checked; finishes the oldest batches beyond the ones in flight. */
  private async checkPending(): Promise<void> {
    const samples = this.unchecked;
    if (samples.length === 0) return;
    this.unchecked = [];
    this.samplesMade += samples.length;
    const mode = this.options.sampleChecksThread ?? "auto";
    if (
      this.checks === inlineSampleChecks &&
      (mode === "always" || (mode === "auto" && this.samplesMade > threadAfterSamples))
    )
      this.checks = new WorkerSampleChecks();
    const rendered = samples.map(renderSample);
    const result = this.checks.run(this.checksInput(samples, rendered));
    result.catch(() => undefined); // awaited in turn below; a failure meanwhile is no unhandled rejection
    const lines = rendered.map((turns) => JSON.stringify(sampleRecord(turns, this.systemPrompt)));
    this.checking.push({ samples: samples.map(factsOf), lines, result });
    while (this.checking.length > batchesInFlight) await this.finishOldestBatch();
  }

  private checksInput(samples: readonly Sample[], rendered: readonly ChatTurn[][]): SampleChecksInput {
    const input: SampleChecksInput = {
      near: this.deduper.findsNear,
      assistantTexts: [],
      sampleTexts: [],
      chatIds: [],
      sessionStarts: [],
      ownerMessages: [],
    };
    for (const [i, sample] of samples.entries()) {
      const turns = rendered[i]!;
      input.assistantTexts.push(
        turns
          .filter((t) => t.role === "assistant")
          .map((t) => t.content)
          .join("\n\u0001\n"),
      );
      input.sampleTexts.push(turns.map((t) => t.content).join("\n"));
      input.chatIds.push(sample.chatId);
      input.sessionStarts.push(sample.sessionStart);
      for (const turn of sample.turns)
        if (turn.role === "assistant") for (const part of turn.parts) input.ownerMessages.push(part.text);
    }
    return input;
  }

  /**
   * The oldest batch's decisions, in the order its samples were made: a sample that is no duplicate goes
   * to val or train by its session's hash, and is counted.
   */
  private async finishOldestBatch(): Promise<void> {
    const { samples, lines, result } = this.checking.shift()!;
    const checked = await result;
    let message = 0;
    for (let i = 0; i < samples.length; i++) {
      const sample = samples[i]!;
      const firstMessage = message;
      for (const n of sample.ownerTurns) message += n;
      const at = i * SAMPLE_NUMBERS;
      const numbers = checked.samples;
      const near = this.deduper.findsNear ? { hi: numbers[at + 2]!, lo: numbers[at + 3]! } : null;
      const duplicate = this.deduper.decide(numbers[at]!, numbers[at + 1]!, near);
      if (duplicate) {
        count(this.stats.droppedSamples, duplicate);
        continue;
      }
      const point = numbers[at + 4]!;
      const line = lines[i]!;
      if (point < this.used.valFraction) {
        this.stats.valSamples++;
        await this.jsonl?.writeLine(valFile, line);
      } else {
        this.noteTrainLine(`${sample.chatKey}\u0000${sample.sessionStart}`, point);
        await this.jsonl?.writeLine(trainFile, line);
      }
      this.tally(sample, checked.messages, firstMessage);
    }
  }

  /** Counts a train line and keeps the fallback: the train session closest to the validation cut. */
  private noteTrainLine(session: string, point: number): void {
    const lineIndex = this.stats.trainSamples;
    this.stats.trainSamples++;
    const fallback = this.fallback;
    if (session === this.lastTrainSession && fallback && fallback.firstLine + fallback.samples === lineIndex)
      fallback.samples++;
    else if (!fallback || point < fallback.point) this.fallback = { point, firstLine: lineIndex, samples: 1 };
    this.lastTrainSession = session;
  }

  /** Counts a kept sample; its owner's messages' style features start at `firstMessage` of `features`. */
  private tally(sample: SampleFacts, features: Int32Array, firstMessage: number): void {
    this.stats.samples++;
    const chat = this.chatStats.get(sample.chatKey);
    if (chat) chat.samples++;
    if (sample.openerMessages > 0) {
      this.stats.openers.samples++;
      this.stats.openers.messages += sample.openerMessages;
    }
    if (sample.redactions)
      for (const kind in sample.redactions) this.redacted[kind as PiiKind] += sample.redactions[kind]!;
    let message = firstMessage;
    for (const n of sample.ownerTurns) {
      this.style.addTurnFeatures(features, message, n);
      message += n;
    }
  }

  /**
   * Makes sure there is a validation split where one can be made: whole sessions hashed into it, else the
   * fallback session moved from train, else the last replies inside each session; records which in heldOut.
   */
  async holdOutValidation(): Promise<void> {
    const { stats, used, jsonl } = this;
    const pending = this.fallback;
    if (stats.valSamples > 0) stats.heldOut = { source: "sessions", reason: null };
    else if (used.valFraction <= 0) stats.heldOut = { source: null, reason: "valFractionZero" };
    else if (stats.samples >= minSamplesForVal && pending && pending.samples * 2 <= stats.trainSamples) {
      await jsonl?.moveLines(trainFile, valFile, pending.firstLine, pending.samples);
      stats.trainSamples -= pending.samples;
      stats.valSamples += pending.samples;
      stats.heldOut = { source: "sessions", reason: null };
    } else if (jsonl) {
      // Too few sessions to hold whole ones out: hold out the last replies inside each session instead.
      let moved = 0;
      await jsonl.splitLines(trainFile, valFile, (line) => {
        const split = holdOutLastReplies(line, used.valFraction);
        moved += split.move.length;
        return split;
      });
      stats.valSamples += moved;
      stats.samples += moved; // each held-out reply is a sample of its own: samples = train + val still
      stats.heldOut =
        moved > 0 ? { source: "turns", reason: null } : { source: null, reason: "tooFewReplies" };
    } else stats.heldOut = { source: null, reason: "tooFewSamples" };
  }

  /** Messages and samples per owner identity (see DatasetStats.owner.identities). */
  private identityTotals(): { id: string; messages: number; samples: number }[] {
    const totals = new Map(this.options.owner.ids.map((id) => [id, { id, messages: 0, samples: 0 }]));
    for (const [chatKey, byKey] of this.chatIdentities) {
      let top: string | null = null;
      for (const [key, n] of byKey) {
        const total = totals.get(key);
        if (!total) continue;
        total.messages += n;
        if (top === null || n > (byKey.get(top) ?? 0)) top = key;
      }
      const samples = this.chatStats.get(chatKey)?.samples ?? 0;
      if (top !== null) (totals.get(top) as { samples: number }).samples += samples;
    }
    return [...totals.values()];
  }

  /** The stats with the per-chat, redaction, skipped-input and style totals filled in. */
  finalStats(): DatasetStats {
    const { stats } = this;
    stats.ownerMessages = [...this.chatStats.values()].reduce((sum, c) => sum + c.ownerMessages, 0);
    stats.chats = [...this.chatStats.values()];
    stats.owner.identities = this.identityTotals();
    stats.redacted = this.redacted;
    stats.skippedInputs = this.skipped.result();
    stats.styleProfile = this.style.profile();
    return stats;
  }
}

function count(map: Record<string, number>, key: string, n = 1): void {
  map[key] = (map[key] ?? 0) + n;
}

function emptyStats(owner: BuildOptions["owner"], used: EffectiveOptions): DatasetStats {
  return {
    owner: { id: owner.ids[0]!, ids: [...owner.ids], name: owner.name },
    messagesRead: 0,
    ownerMessages: 0,
    samples: 0,
    trainSamples: 0,
    valSamples: 0,
    heldOut: { source: null, reason: "tooFewSamples" },
    systemPrompt: null,
    openers: { samples: 0, messages: 0 },
    dropped: {},
    droppedSamples: {},
    truncatedMessages: 0,
    cutSessions: 0,
    redacted: emptyRedactionCounts() as RedactionCounts,
    chats: [],
    skippedInputs: { total: 0, byReason: {}, examples: [] },
    styleProfile: new StyleAccumulator().profile(),
    options: used,
  };
}
