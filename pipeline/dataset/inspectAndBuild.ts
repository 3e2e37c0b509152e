import { rmdir, stat } from "node:fs/promises";
import { ExportRecord } from "../model/conversation.js";
import { build } from "./build.js";
import { BuildOptions } from "./buildOptions.js";
import { DatasetStats } from "./datasetStats.js";
import { SourceTally } from "./inspect.js";
import { ResolvedOwner } from "./owner.js";
import { ReadOptions, RecordSource } from "./recordSource.js";
import { SourceSummary } from "./sourceSummary.js";

export interface InspectAndBuildOptions {
  /** Whom to clone, from the inspection of the whole source (resolveOwner with the caller's selectors). */
  resolveOwner: (summary: SourceSummary) => ResolvedOwner;
  /** The build's options but its owner and summary, which come from the inspection. */
  build: Omit<BuildOptions, "owner" | "summary" | "afterRead">;
  /** Called once with the whole source's summary, before the owner is resolved from it. */
  onSummary?: (summary: SourceSummary) => void;
  /** Progress of a separate inspection pass, when one is needed. */
  inspect?: Pick<ReadOptions, "onProgress" | "progressEvery">;
  /** Messages read ahead before the owner is guessed (default 2,000). */
  lookaheadMessages?: number;
  /** Characters of message text read ahead at most (default 4 Mi): bounds the memory of the look-ahead. */
  lookaheadChars?: number;
}

export interface InspectAndBuildResult {
  summary: SourceSummary;
  owner: ResolvedOwner;
  stats: DatasetStats;
  /** 1 when the owner guessed from the look-ahead was the one the whole source gave; else 2. */
  passes: 1 | 2;
}

/** The guess was wrong: the owner the whole source gives, for the second pass. */
class OwnerGuessMissed extends Error {
  constructor(readonly owner: ResolvedOwner) {
    super("the owner guessed from the first records is not the one the whole export gives");
  }
}

/**
 * Inspection and build in one read of the source where it can be: the first records are read ahead and
 * the owner is resolved from them; the build then runs on that guess while the same records are tallied
 * for the summary. Once the source is read, the owner is resolved again from the whole summary: when it is
 * the guess (same ids, same name), the build stands and is exactly what inspection-then-build gives (the
 * build reads the owner, its options and the records only); otherwise its staged files are discarded and
 * the source is read a second time with the right owner, as before. Pseudonymised builds (their numbering
 * follows the whole inspection) and look-aheads that resolve no owner take the two passes directly.
 */
export async function inspectAndBuild(
  source: RecordSource,
  options: InspectAndBuildOptions,
): Promise<InspectAndBuildResult> {
  const { signal } = options.build;
  const tally = new SourceTally(options.build.maxSkippedExamples);
  signal?.throwIfAborted();
  const iterator = source()[Symbol.asyncIterator]();
  try {
    const ahead = await readAhead(iterator, tally, options);
    if (ahead.done) {
      // The whole source fits the look-ahead: its summary is final, and the build replays what was held.
      const summary = tally.summary();
      options.onSummary?.(summary);
      const owner = options.resolveOwner(summary);
      const stats = await build(() => replay(ahead.held), { ...options.build, owner, summary });
      return { summary, owner, stats, passes: 1 };
    }
    const guess = options.build.pseudonymize ? null : tryResolve(options, tally.summary());
    if (guess) {
      const oneRead = await buildOnGuess(iterator, ahead.held, tally, guess, options);
      if (oneRead) return oneRead;
    } else await drain(iterator, tally, options);
    const summary = tally.summary();
    if (!guess) options.onSummary?.(summary);
    const owner = options.resolveOwner(summary);
    const stats = await build(source, { ...options.build, owner, summary });
    return { summary, owner, stats, passes: 2 };
  } finally {
    await iterator.return?.();
  }
}

/** Reads records ahead into memory, tallying them, up to the look-ahead bounds or the end. */
async function readAhead(
  iterator: AsyncIterator<ExportRecord>,
  tally: SourceTally,
  options: InspectAndBuildOptions,
): Promise<{ held: ExportRecord[]; done: boolean }> {
  const maxMessages = options.lookaheadMessages ?? 2000;
  const maxChars = options.lookaheadChars ?? 4 << 20;
  const held: ExportRecord[] = [];
  let messages = 0;
  let chars = 0;
  while (messages < maxMessages && chars < maxChars) {
    options.build.signal?.throwIfAborted();
    const next = await iterator.next();
    if (next.done) return { held, done: true };
    tally.add(next.value);
    held.push(next.value);
    if (next.value.type === "message") {
      messages++;
      chars += next.value.message.text.length + 64;
    }
  }
  return { held, done: false };
}

/** The rest of the source into the tally: the inspection pass, continued. */
async function drain(
  iterator: AsyncIterator<ExportRecord>,
  tally: SourceTally,
  options: InspectAndBuildOptions,
): Promise<void> {
  const progress = options.inspect?.onProgress;
  const every = Math.max(1, options.inspect?.progressEvery ?? 1000);
  let records = 0;
  let messages = 0;
  for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
    options.build.signal?.throwIfAborted();
    tally.add(next.value);
    records++;
    if (next.value.type === "message") messages++;
    if (progress && records % every === 0) progress({ recordsRead: records, messagesRead: messages });
  }
}

function tryResolve(options: InspectAndBuildOptions, summary: SourceSummary): ResolvedOwner | null {
  try {
    return options.resolveOwner(summary);
  } catch {
    return null;
  }
}

function sameOwner(a: ResolvedOwner, b: ResolvedOwner): boolean {
  return (
    a.name === b.name &&
    a.matchedBy === b.matchedBy &&
    a.ids.length === b.ids.length &&
    a.ids.every((id, i) => id === b.ids[i])
  );
}

/**
 * The build on the guessed owner, fed the held records and then the rest of the source, each tallied
 * first; null when the whole source gives another owner (the staged files are then discarded).
 */
async function buildOnGuess(
  iterator: AsyncIterator<ExportRecord>,
  held: ExportRecord[],
  tally: SourceTally,
  guess: ResolvedOwner,
  options: InspectAndBuildOptions,
): Promise<InspectAndBuildResult | null> {
  let fed = false;
  const teed: RecordSource = () => {
    if (fed) throw new Error("inspectAndBuild: the build read its source twice");
    fed = true;
    return tee(iterator, held, tally);
  };
  let summary: SourceSummary | null = null;
  const outDir = options.build.outDir;
  const createdOut = outDir !== undefined && !(await exists(outDir));
  try {
    const stats = await build(teed, {
      ...options.build,
      owner: guess,
      afterRead: () => {
        summary = tally.summary();
        options.onSummary?.(summary);
        const owner = options.resolveOwner(summary);
        if (!sameOwner(owner, guess)) throw new OwnerGuessMissed(owner);
      },
    });
    return { summary: summary!, owner: guess, stats, passes: 1 };
  } catch (error) {
    // Two passes would have failed before the build made its folder; leave none behind either.
    if (createdOut) await rmdir(outDir).catch(() => undefined);
    if (error instanceof OwnerGuessMissed) return null;
    throw error;
  }
}

/** The held records once, each let go as it is passed on. */
async function* replay(held: ExportRecord[]): AsyncGenerator<ExportRecord> {
  for (let i = 0; i < held.length; i++) {
    const record = held[i]!;
    (held as unknown[])[i] = undefined;
    yield record;
  }
  held.length = 0;
}

/**
 * The held records, then the rest of the source, each of the rest tallied as it passes: a plain iterator,
 * not another async generator, so the one read costs no extra step per record.
 */
function tee(
  iterator: AsyncIterator<ExportRecord>,
  held: ExportRecord[],
  tally: SourceTally,
): AsyncIterable<ExportRecord> {
  let at = 0;
  const rest = (next: IteratorResult<ExportRecord>) => {
    if (!next.done) tally.add(next.value);
    return next;
  };
  return {
    [Symbol.asyncIterator]: () => ({
      next(): Promise<IteratorResult<ExportRecord>> {
        if (at < held.length) {
          const value = held[at]!;
          (held as unknown[])[at++] = undefined; // let what was held go as the build passes it
          return Promise.resolve({ value, done: false });
        }
        held.length = 0;
        at = 0;
        return iterator.next().then(rest);
      },
      async return(): Promise<IteratorResult<ExportRecord>> {
        await iterator.return?.();
        return { value: undefined, done: true };
      },
    }),
  };
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
