import { DATASET_FILES } from "../../domain/artifacts/artifactKeys.js";
import { emptyRedactionCounts, PiiKind, RedactionCounts } from "../privacy/piiKind.js";
import { Pseudonyms } from "../privacy/pseudonyms.js";
import { redactText } from "../privacy/redactText.js";
import { ChatSampler } from "../samples/chatSampler.js";
import { SampleDeduper } from "../samples/sampleDeduper.js";
import { Sample } from "../samples/sampleTypes.js";
import { StyleAccumulator } from "../style/styleAccumulator.js";
import { BuildOptions, EffectiveOptions, effectiveOptions } from "./buildOptions.js";
import { ChatTracker, TrackedChat } from "./chatTracker.js";
import { ChatStats, DatasetStats } from "./datasetStats.js";
import { RecordSource, readRecords } from "./recordSource.js";
import { renderSample, sampleRecord } from "./sampleRecord.js";
import { SkippedInputsTally } from "./skippedInputs.js";
import { StagedOutput } from "./stagedOutput.js";
import { systemPromptFor } from "./systemPrompt.js";
import { holdOutLastReplies, sessionSplitPoint } from "./valSplit.js";

// The folder's format: domain/artifacts/datasetFormat.schema.json.
const { train: trainFile, val: valFile, stats: statsFile } = DATASET_FILES;
/** With this many samples a validation split is always made, even if no session hashed into it. */
const minSamplesForVal = 10;

/** The train session closest to the validation cut: moved to val if the hash put none there. */
interface ValFallback {
  point: number;
  firstLine: number;
  samples: number;
}

/**
 * Pass 2: turns the source into train.jsonl, val.jsonl and stats.json for the given owner. Streams:
 * memory holds one chat's open session, compact dedupe fingerprints and fixed-size counters.
 */
export async function build(source: RecordSource, options: BuildOptions): Promise<DatasetStats> {
  const used = effectiveOptions(options);
  const owner = options.owner;
  const ownerKeys = new Set(owner.ids);
  const systemPrompt = used.systemPrompt === false ? null : systemPromptFor(used.systemPrompt, owner.name);
  const pseudonyms = used.pseudonymize ? new Pseudonyms([owner.name], used.pseudonymPrefix) : null;
  if (pseudonyms && options.summary)
    for (const p of options.summary.participants) if (!ownerKeys.has(p.id)) pseudonyms.labelFor(p.id, p.name);

  const stats = emptyStats(owner, used);
  stats.systemPrompt = systemPrompt;
  const redacted = emptyRedactionCounts();
  const chatStats = new Map<string, ChatStats>();
  const skipped = new SkippedInputsTally(used.maxSkippedExamples);
  const style = new StyleAccumulator();
  const deduper = new SampleDeduper(used.nearDuplicateDistance);
  const tracker = new ChatTracker();
  const output = options.outDir
    ? await StagedOutput.open(options.outDir, used.dryRun ? [statsFile] : [trainFile, valFile, statsFile])
    : null;
  const jsonl = used.dryRun ? null : output;
  let fallback: ValFallback | null = null;
  let lastTrainSession: string | null = null;

  const count = (map: Record<string, number>, key: string, n = 1) => {
    map[key] = (map[key] ?? 0) + n;
  };
  const prepareText = (text: string) => {
    const result = used.redact ? redactText(text) : { text, counts: {} };
    return { text: pseudonyms ? pseudonyms.replaceNames(result.text) : result.text, counts: result.counts };
  };
  const labelFor = (key: string, name: string | null) =>
    pseudonyms ? pseudonyms.labelFor(key, name) : (name ?? key.replace(/^name:/, ""));

  const emit = async (sample: Sample) => {
    const turns = renderSample(sample);
    const assistantText = turns
      .filter((t) => t.role === "assistant")
      .map((t) => t.content)
      .join("\n\u0001\n");
    const duplicate = deduper.check(assistantText, turns.map((t) => t.content).join("\n"));
    if (duplicate) {
      count(stats.droppedSamples, duplicate);
      return;
    }
    const point = sessionSplitPoint(sample.chatId, sample.sessionStart);
    const isVal = point < used.valFraction;
    const line = JSON.stringify(sampleRecord(turns, systemPrompt));
    if (isVal) {
      stats.valSamples++;
      await jsonl?.writeLine(valFile, line);
    } else {
      const session = `${sample.chatKey}\u0000${sample.sessionStart}`;
      const lineIndex = stats.trainSamples;
      stats.trainSamples++;
      if (session === lastTrainSession && fallback && fallback.firstLine + fallback.samples === lineIndex)
        fallback.samples++;
      else if (!fallback || point < fallback.point) fallback = { point, firstLine: lineIndex, samples: 1 };
      lastTrainSession = session;
      await jsonl?.writeLine(trainFile, line);
    }
    stats.samples++;
    const chat = chatStats.get(sample.chatKey);
    if (chat) chat.samples++;
    for (const turn of sample.turns) {
      for (const part of turn.parts)
        for (const [kind, n] of Object.entries(part.redactions ?? {})) redacted[kind as PiiKind] += n;
      if (turn.role === "assistant") style.addTurn(turn.parts.map((p) => p.text));
    }
  };

  let sampler: ChatSampler | null = null;
  let samplerChat: TrackedChat | null = null;
  const closeSampler = async () => {
    if (!sampler || !samplerChat) return;
    for (const sample of sampler.finish()) await emit(sample);
    const chat = chatStats.get(samplerChat.key)!;
    chat.messages += sampler.messages;
    chat.ownerMessages += sampler.ownerMessages;
    chat.skipped ??= sampler.skipReason;
    stats.cutSessions += sampler.cutSessions;
    sampler = null;
    samplerChat = null;
  };
  const openSampler = async (chat: TrackedChat) => {
    if (samplerChat?.key === chat.key) return;
    await closeSampler();
    if (!chatStats.has(chat.key))
      chatStats.set(chat.key, {
        id: chat.id,
        name: chat.name,
        type: chat.type,
        source: chat.source,
        messages: 0,
        ownerMessages: 0,
        samples: 0,
        skipped: null,
      });
    samplerChat = chat;
    sampler = new ChatSampler({
      chat,
      chatKey: chat.key,
      ownerKeys,
      limits: {
        sessionGapMs: used.sessionGapHours * 3_600_000,
        maxSessionMessages: used.maxSessionMessages,
        maxTurnChars: used.maxTurnChars,
        maxSampleTurns: used.maxSampleTurns,
        maxSampleChars: used.maxSampleChars,
      },
      selection: used,
      includeBotChats: used.includeBotChats,
      prepareText,
      labelFor,
      events: {
        droppedMessages: (reason, n) => count(stats.dropped, reason, n),
        droppedSample: (reason) => count(stats.droppedSamples, reason),
        truncatedMessage: () => stats.truncatedMessages++,
      },
    });
  };

  try {
    const reading = readRecords(source, {
      signal: options.signal,
      bytesRead: options.bytesRead,
      progressEvery: options.progressEvery,
      onProgress: options.onProgress && ((p) => options.onProgress?.({ ...p, samples: stats.samples })),
    });
    for await (const record of reading) {
      switch (record.type) {
        case "account":
          break;
        case "skipped":
          skipped.add(record.skipped);
          break;
        case "chat":
          await openSampler(tracker.onChat(record.chat).chat);
          break;
        case "message": {
          stats.messagesRead++;
          await openSampler(tracker.chatOf(record.message).chat);
          for (const sample of sampler!.push(record.message)) await emit(sample);
          break;
        }
      }
    }
    await closeSampler();
    options.signal?.throwIfAborted();

    const pending = fallback as ValFallback | null;
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
    stats.ownerMessages = [...chatStats.values()].reduce((sum, c) => sum + c.ownerMessages, 0);
    stats.chats = [...chatStats.values()];
    stats.redacted = redacted;
    stats.skippedInputs = skipped.result();
    stats.styleProfile = style.profile();
    if (output) {
      await output.writeWhole(statsFile, JSON.stringify(stats, null, 2));
      await output.commit(statsFile);
    }
    return stats;
  } catch (error) {
    await output?.discard();
    throw error;
  }
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
