/**
 * `npm run bench:compare`: the dataset build against its anchors on the same generated inputs, in one
 * process tree, alternating, several rounds. WhatsApp (a Cyrillic .txt): whatsapp-chat-parser 4.0.2's
 * `parseString` on the whole file, against `aiclone dataset build` on it. Telegram (result.json): a
 * whole-file `JSON.parse`, against `aiclone dataset build`. Every run is a child process; its peak RSS is its
 * own (`process.resourceUsage().maxRSS`, reported back by bench/reportUsage.ts). Prints min/median/max of
 * each and of the per-round ratios, with the issue's goal beside each.
 *
 * The build's peak RSS is asserted: the bench exits with status 1 when a build of the project passes
 * --max-rss-mb (default 300), or when a build read a different number of messages than were written.
 *
 * Usage: node dist/bench/compareDataset.js [--mb 50] [--rounds 3] [--max-rss-mb 300]
 *        [--formats whatsapp,telegram] [--baseline <another build's dist folder>] [--keep <dir>]
 * (--mb 200 is the issue's size; --baseline runs an older build's CLI on the same inputs as a third
 * contender, so a change is measured before/after in one run.)
 *
 * Beside them, the project's reader alone (the same export read into records on one thread, nothing sampled
 * or checked): however the build spreads its work over threads, one thread reads each export, so the
 * reader's speed is the most any build of it could reach.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { cpus, loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { ownerName, writeSyntheticExport } from "./syntheticChats.js";

type Format = "whatsapp" | "telegram";

interface Run {
  seconds: number;
  cpuSeconds: number;
  maxRssMb: number;
  messages: number;
}

interface Contender {
  label: string;
  /** node arguments after the preload for one run on the input, writing to outDir where it builds. */
  run: (input: string, outDir: string) => string[];
  /**
   * "build": this project's build, its memory asserted; "baseline": another build's CLI (both count the
   * messages of their stats.json); "reader": the reader alone, which prints its messages and writes nothing.
   */
  kind: "build" | "baseline" | "reader";
}

const self = fileURLToPath(import.meta.url);
const preload = pathToFileURL(fileURLToPath(new URL("./reportUsage.js", import.meta.url))).href;
const ownCli = fileURLToPath(new URL("../cli/main.js", import.meta.url));

const goals: Record<Format, { speed: number; anchor: string; input: string }> = {
  whatsapp: {
    speed: 1.5,
    anchor: "whatsapp-chat-parser 4.0.2 parseString",
    input: "WhatsApp .txt, Cyrillic",
  },
  telegram: { speed: 0.5, anchor: "JSON.parse of the whole file", input: "Telegram result.json" },
};

/** Child mode: one anchor run on one file; prints the number of messages it found. */
function anchorChild(format: Format, file: string): Promise<void> | void {
  const text = readFileSync(file, "utf8");
  if (format === "telegram") {
    const parsed = JSON.parse(text) as { messages: unknown[] };
    console.log(JSON.stringify({ messages: parsed.messages.length }));
    return;
  }
  return import("whatsapp-chat-parser").then(({ parseString }) => {
    console.log(JSON.stringify({ messages: parseString(text).length }));
  });
}

/** Child mode: the project's reader alone on one file, records counted; prints the number of messages. */
async function readerChild(file: string): Promise<void> {
  const { exportFilesSource } = await import("../pipeline/dataset/exportFilesSource.js");
  let messages = 0;
  const source = exportFilesSource([file], { readerThread: false });
  for await (const record of source.records()) if (record.type === "message") messages++;
  console.log(JSON.stringify({ messages }));
}

/** Runs node with the usage preload; answers wall time (spawn to exit, as the parent sees it) and RSS. */
function measure(
  args: string[],
  usageFile: string,
): { seconds: number; cpuSeconds: number; maxRssMb: number; stdout: string } {
  const started = performance.now();
  const result = spawnSync(process.execPath, ["--import", preload, ...args], {
    encoding: "utf8",
    maxBuffer: 64 << 20,
    env: { ...process.env, AICLONE_BENCH_USAGE: usageFile },
  });
  const seconds = (performance.now() - started) / 1000;
  if (result.status !== 0)
    throw new Error(`node ${args.join(" ")} failed (${result.status}):\n${result.stderr}${result.stdout}`);
  const usage = JSON.parse(readFileSync(usageFile, "utf8")) as { maxRssMb: number; cpuSeconds: number };
  return { seconds, cpuSeconds: usage.cpuSeconds, maxRssMb: usage.maxRssMb, stdout: result.stdout };
}

/** The messages a child mode printed, as `{"messages": n}` on its last line. */
function messagesPrinted(stdout: string): number {
  return (JSON.parse(stdout.trim().split("\n").at(-1)!) as { messages: number }).messages;
}

function runAnchor(format: Format, file: string, dir: string): Run {
  const m = measure([self, "--anchor", format, file], join(dir, "usage.json"));
  return {
    seconds: m.seconds,
    cpuSeconds: m.cpuSeconds,
    maxRssMb: m.maxRssMb,
    messages: messagesPrinted(m.stdout),
  };
}

async function runProject(contender: Contender, file: string, dir: string): Promise<Run> {
  const outDir = join(dir, "out");
  await rm(outDir, { recursive: true, force: true });
  const m = measure(contender.run(file, outDir), join(dir, "usage.json"));
  if (contender.kind === "reader")
    return {
      seconds: m.seconds,
      cpuSeconds: m.cpuSeconds,
      maxRssMb: m.maxRssMb,
      messages: messagesPrinted(m.stdout),
    };
  const stats = JSON.parse(readFileSync(join(outDir, "stats.json"), "utf8")) as { messagesRead: number };
  await rm(outDir, { recursive: true, force: true });
  return { seconds: m.seconds, cpuSeconds: m.cpuSeconds, maxRssMb: m.maxRssMb, messages: stats.messagesRead };
}

function cliContender(label: string, main: string, kind: "build" | "baseline"): Contender {
  return {
    label,
    kind,
    run: (input, outDir) => [main, "dataset", "build", input, "--owner", ownerName, "--out", outDir],
  };
}

const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
const median = (xs: number[]) => {
  const s = sorted(xs);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};
const spread = (xs: number[], digits: number, unit = "") => {
  const s = sorted(xs);
  return [s[0]!, median(s), s.at(-1)!].map((x) => `${x.toFixed(digits)}${unit}`).join(" / ");
};

interface Row {
  format: Format;
  mb: number;
  messages: number;
  anchor: Run[];
  contenders: { contender: Contender; runs: Run[] }[];
}

function printRows(rows: Row[], maxRssMb: number): void {
  console.log(
    "\n| input | what | wall s | CPU s | peak RSS MB | speed vs anchor (wall, per round) | speed vs anchor (CPU) | goal |",
  );
  console.log("| --- | --- | --- | --- | --- | --- | --- | --- |");
  for (const row of rows) {
    const goal = goals[row.format];
    const input = `${goal.input}, ${row.mb.toFixed(0)} MB, ${row.messages.toLocaleString("en")} messages`;
    const anchor = row.anchor;
    console.log(
      `| ${input} | anchor: ${goal.anchor} | ${spread(
        anchor.map((r) => r.seconds),
        2,
      )} | ${spread(
        anchor.map((r) => r.cpuSeconds),
        2,
      )} | ${spread(
        anchor.map((r) => r.maxRssMb),
        0,
      )} | 1× | 1× | |`,
    );
    for (const { contender, runs } of row.contenders) {
      const ratios = runs.map((r, i) => anchor[i]!.seconds / r.seconds);
      const cpuRatios = runs.map((r, i) => anchor[i]!.cpuSeconds / r.cpuSeconds);
      const rss = runs.map((r) => r.maxRssMb);
      const met = median(ratios) >= goal.speed ? "met" : "not met";
      const rssMet = Math.max(...rss) < maxRssMb ? "met" : "NOT MET";
      const verdict =
        contender.kind === "reader"
          ? `a build's ceiling: ${median(ratios) >= goal.speed ? "above" : "below"} the goal of ${goal.speed}×`
          : `≥ ${goal.speed}× (${met}); RSS < ${maxRssMb} MB (${rssMet})`;
      console.log(
        `| | ${contender.label} | ${spread(
          runs.map((r) => r.seconds),
          2,
        )} | ${spread(
          runs.map((r) => r.cpuSeconds),
          2,
        )} | ${spread(rss, 0)} | ${spread(ratios, 2, "×")} | ${spread(cpuRatios, 2, "×")} | ${verdict} |`,
      );
    }
  }
  console.log(
    "(each cell: min / median / max over the rounds; a ratio is the anchor's time over the build's in the same round)",
  );
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      mb: { type: "string", default: "50" },
      rounds: { type: "string", default: "3" },
      "max-rss-mb": { type: "string", default: "300" },
      formats: { type: "string", default: "whatsapp,telegram" },
      baseline: { type: "string" },
      keep: { type: "string" },
    },
  });
  const mb = Number(values.mb);
  const rounds = Number(values.rounds);
  const maxRssMb = Number(values["max-rss-mb"]);
  const formats = values.formats!.split(",") as Format[];
  const contenders: Contender[] = [
    cliContender("project: aiclone dataset build", ownCli, "build"),
    {
      label:
        "project: its reader alone (records only, on one thread: the ceiling of any build that reads this way)",
      kind: "reader",
      run: (input) => [self, "--reader", input],
    },
  ];
  if (values.baseline) {
    const main = join(resolve(values.baseline), "cli", "main.js");
    if (!existsSync(main)) throw new Error(`--baseline: no cli/main.js in ${values.baseline}`);
    contenders.push(cliContender(`baseline: dataset build of ${values.baseline}`, main, "baseline"));
  }
  const dir = values.keep ? resolve(values.keep) : await mkdtemp(join(tmpdir(), "aiclone-bench-compare-"));
  await mkdir(dir, { recursive: true });
  console.log(
    `node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model ?? "?"}), load average ${loadavg()
      .map((x) => x.toFixed(2))
      .join(" ")} at start`,
  );
  const rows: Row[] = [];
  let failures = 0;
  try {
    for (const format of formats) {
      const file = join(dir, format === "telegram" ? "result.json" : `WhatsApp Chat with Маша.txt`);
      const written =
        existsSync(file) && values.keep ? null : await writeSyntheticExport(file, format, mb << 20);
      const messages = written?.messages ?? runAnchor(format, file, dir).messages;
      const row: Row = {
        format,
        mb,
        messages,
        anchor: [],
        contenders: contenders.map((c) => ({ contender: c, runs: [] })),
      };
      for (let round = 0; round < rounds; round++) {
        // Alternate the order each round so that a drift in the machine's load falls on both sides.
        const order =
          round % 2 === 0 ? [-1, ...contenders.keys()] : [...[...contenders.keys()].reverse(), -1];
        for (const which of order) {
          if (which === -1) row.anchor.push(runAnchor(format, file, dir));
          else row.contenders[which]!.runs.push(await runProject(contenders[which]!, file, dir));
          const last = which === -1 ? row.anchor.at(-1)! : row.contenders[which]!.runs.at(-1)!;
          const label = which === -1 ? "anchor" : contenders[which]!.label;
          console.error(
            `${format} round ${round + 1}: ${label}: ${last.seconds.toFixed(2)} s, ${last.maxRssMb.toFixed(0)} MB, ${last.messages} messages`,
          );
          if (which !== -1 && last.messages !== messages) {
            console.error(`  ✗ read ${last.messages} messages, the input has ${messages}`);
            if (contenders[which]!.kind === "build") failures++;
          }
          if (which !== -1 && contenders[which]!.kind === "build" && last.maxRssMb >= maxRssMb) {
            console.error(`  ✗ peak RSS ${last.maxRssMb.toFixed(0)} MB passes the bound of ${maxRssMb} MB`);
            failures++;
          }
        }
      }
      rows.push(row);
      if (!values.keep) await rm(file, { force: true });
    }
  } finally {
    if (!values.keep) await rm(dir, { recursive: true, force: true });
  }
  printRows(rows, maxRssMb);
  console.log(
    `\nload average ${loadavg()
      .map((x) => x.toFixed(2))
      .join(" ")} at the end`,
  );
  if (failures)
    console.log(`FAILED: ${failures} build run(s) over the memory bound or with a wrong message count`);
  return failures ? 1 : 0;
}

if (process.argv[2] === "--anchor") await anchorChild(process.argv[3] as Format, process.argv[4]!);
else if (process.argv[2] === "--reader") await readerChild(process.argv[3]!);
else process.exitCode = await main();
