import type { Command } from "commander";
import { exportFilesSource } from "../../pipeline/dataset/exportFilesSource.js";
import {
  build,
  DatasetOptionsError,
  type DatasetStats,
  type InspectAndBuildOptions,
  inspect,
  inspectAndBuild,
  OwnerResolutionError,
  resolveOwner,
  type SkippedInputsSummary,
  type SourceSummary,
  skipMessage,
} from "../../pipeline/dataset/index.js";
import { ExportReadError } from "../../pipeline/model/conversation.js";
import { supportedFormatsHelp } from "../../pipeline/readers/supportedFormats.js";
import { type BuildExtras, buildExtras } from "./buildExtras.js";
import { BuildProgress } from "./buildProgress.js";
import { printDatasetSummary } from "./datasetSummary.js";

interface BuildCommandOptions {
  owner: string[];
  out?: string;
  dryRun?: boolean;
  excludeChat: string[];
  includeChat: string[];
  excludeContact: string[];
  includeContact: string[];
  gapHours?: string;
  valFraction?: string;
  pseudonymize?: boolean;
  redact: boolean;
  systemPrompt?: string;
  ocr?: boolean;
  speechModel?: string;
  openers: boolean;
}

const collect = (value: string, previous: string[]) => [...previous, value];

/** Every skipped entry or line the reading met, named with its reason and limit, before anything else. */
function printSkipped(skipped: SkippedInputsSummary): void {
  for (const example of skipped.examples) console.log(skipMessage(example));
  const more = skipped.total - skipped.examples.length;
  if (more > 0) console.log(`… and ${more} more skipped (stats.json counts them by reason)`);
}

/** Errors a person can fix from the message alone: printed without a stack, exit status 1. */
function isUserError(error: unknown): error is Error {
  return (
    error instanceof ExportReadError ||
    error instanceof OwnerResolutionError ||
    error instanceof DatasetOptionsError
  );
}

export function registerDatasetCommands(program: Command): void {
  const dataset = program
    .command("dataset")
    .description("chat exports → a training set of one person's replies");
  dataset
    .command("build")
    .description(
      "read Telegram / WhatsApp / Discord / VK exports (files, folders or zips) and write train.jsonl, val.jsonl, stats.json",
    )
    .addHelpText("after", `\n${supportedFormatsHelp()}`)
    .argument("<exports...>", "export files, folders or .zip archives")
    .option(
      "--owner <name|id>",
      "the person to clone (repeatable; default: the account the export names)",
      collect,
      [],
    )
    .option("-o, --out <dir>", "output folder (required unless --dry-run)")
    .option("--dry-run", "read and count only: print the stats, write no samples")
    .option("--exclude-chat <id|name>", "leave a chat out (repeatable)", collect, [])
    .option("--include-chat <id|name>", "use only these chats (repeatable)", collect, [])
    .option("--exclude-contact <id|name>", "leave a person's dialogues out (repeatable)", collect, [])
    .option("--include-contact <id|name>", "use only dialogues with these people (repeatable)", collect, [])
    .option("--gap-hours <hours>", "silence that starts a new session (default 6)")
    .option("--val-fraction <share>", "share of sessions held out for evaluation (default 0.1)")
    .option("--pseudonymize", "replace contacts' names with pseudonyms")
    .option("--no-redact", "keep phones, e-mails, cards, IBANs, addresses and links as written")
    .option("--system-prompt <text>", "system message of every sample ({name} = the owner's name)")
    .option(
      "--no-openers",
      "drop the owner's turn that opens a conversation (default: keep it as an opener sample, no user turn)",
    )
    .option("--ocr", "read the text of images sent by others (Tesseract) and add it as context")
    .option("--speech-model <dir>", "transcribe voice notes with a local Whisper model folder (ONNX)")
    .action(async (exports: string[], options: BuildCommandOptions) => {
      if (!options.dryRun && !options.out)
        throw new DatasetOptionsError("--out", "is required unless --dry-run");
      const abort = new AbortController();
      process.once("SIGINT", () => abort.abort(new Error("interrupted")));
      const progress = new BuildProgress(process.stderr);
      try {
        const built =
          options.ocr || options.speechModel
            ? await inspectThenBuild(exports, options, abort.signal, progress)
            : await inspectAndBuild(exportFilesSource(exports, { signal: abort.signal }).records, {
                resolveOwner: (summary) => resolveOwner(summary, options.owner),
                onSummary: (summary) => printSummary(summary, progress),
                build: {
                  ...buildOptionsOf(options, abort.signal),
                  onProgress: (p) => progress.reading(p.messagesRead),
                },
                inspect: { onProgress: (p) => progress.reading(p.messagesRead) },
              });
        progress.stop();
        if ("extras" in built) await built.extras.finish(options.dryRun ? null : (options.out ?? null));
        printDatasetSummary(built.stats, options.dryRun ? null : (options.out ?? null));
      } catch (error) {
        progress.stop();
        if (!isUserError(error)) throw error;
        console.error(`aiclone dataset build: ${error.message}`);
        process.exitCode = 1;
      }
    });
}

function printSummary(summary: SourceSummary, progress: BuildProgress): void {
  progress.done(
    `read ${summary.messages} messages in ${summary.chats.length} chats (${summary.formats.join(", ") || "no known format"})`,
  );
  printSkipped(summary.skippedInputs);
}

/** The build's options from the command line, but the owner and the inspection's summary. */
function buildOptionsOf(options: BuildCommandOptions, signal: AbortSignal): InspectAndBuildOptions["build"] {
  return {
    ...(options.out ? { outDir: options.out } : {}),
    dryRun: options.dryRun === true,
    includeChats: options.includeChat,
    excludeChats: options.excludeChat,
    includeContacts: options.includeContact,
    excludeContacts: options.excludeContact,
    redact: options.redact,
    openers: options.openers,
    ...(options.pseudonymize ? { pseudonymize: true } : {}),
    ...(options.gapHours !== undefined ? { sessionGapHours: Number(options.gapHours) } : {}),
    ...(options.valFraction !== undefined ? { valFraction: Number(options.valFraction) } : {}),
    ...(options.systemPrompt !== undefined ? { systemPrompt: options.systemPrompt } : {}),
    signal,
  };
}

/**
 * With OCR or speech the two passes stay: their models need the owner before the build's records are made,
 * and those records differ from the inspection's.
 */
async function inspectThenBuild(
  exports: string[],
  options: BuildCommandOptions,
  signal: AbortSignal,
  progress: BuildProgress,
): Promise<{ stats: DatasetStats; extras: BuildExtras }> {
  const source = exportFilesSource(exports, { signal });
  const summary = await inspect(source.records, {
    signal,
    onProgress: (p) => progress.reading(p.messagesRead),
  });
  printSummary(summary, progress);
  const owner = resolveOwner(summary, options.owner);
  const extras = await buildExtras(owner.ids, options, signal);
  const { transform } = extras;
  const records = transform ? exportFilesSource(exports, { signal, transform }).records : source.records;
  progress.startBuild(summary.messages);
  const stats = await build(records, {
    ...buildOptionsOf(options, signal),
    owner,
    summary,
    onProgress: (p) => progress.building(p.messagesRead, p.samples),
  });
  return { stats, extras };
}
