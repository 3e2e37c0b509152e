/**
 * Reader and dataset-build throughput and peak memory on synthetic Telegram and WhatsApp exports of two
 * sizes, to show that memory stays flat as the input grows. Each measurement runs in a fresh child process,
 * so its peak RSS is its own. "build" is what `aiclone dataset build` runs: inspection and build in one read
 * where the owner guessed from the first messages holds (`inspectAndBuild`), the number of reads printed.
 * The bench exits with status 1 when a build's peak RSS passes --max-rss-mb (default 300, the bound).
 * Usage: node dist/bench/datasetThroughput.js [--sizes 256,1024] (MB) [--formats telegram,whatsapp]
 *        [--max-rss-mb 300]
 */
import { spawnSync } from "node:child_process";
import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { exportFilesSource } from "../pipeline/dataset/exportFilesSource.js";
import { inspectAndBuild } from "../pipeline/dataset/inspectAndBuild.js";

const phrases = [
  "привет, как ты? давно не виделись))",
  "норм, работаю потихоньку. а у тебя что нового?",
  "слушай, а ты в субботу свободна? можно в кино сходить",
  "ахах да, я тоже так подумала 😂",
  "ок, договорились. напиши, когда будешь выходить",
  "sorry, I was busy — call you tonight?",
  "купила наконец тот самый кофе, очень вкусный",
  "не забудь взять зонт, обещали дождь",
];

async function writeExport(path: string, format: "telegram" | "whatsapp", bytes: number): Promise<void> {
  const out = createWriteStream(path);
  const write = async (chunk: string) => {
    if (!out.write(chunk)) await once(out, "drain");
  };
  let written = 0;
  let t = Date.UTC(2020, 0, 1, 9, 0, 0);
  if (format === "telegram")
    await write('{\n "name": "Маша",\n "type": "personal_chat",\n "id": 2,\n "messages": [\n');
  for (let i = 0; written < bytes; i++) {
    t += i % 20 === 0 ? 8 * 3_600_000 : 90_000;
    const owner = i % 3 !== 0;
    const text = `${phrases[i % phrases.length]} (${i})`;
    let line: string;
    if (format === "telegram") {
      line = `${i ? ",\n" : ""}  {"id": ${i + 1}, "type": "message", "date": "${new Date(t).toISOString().slice(0, 19)}", "date_unixtime": "${Math.floor(t / 1000)}", "from": "${owner ? "Аня" : "Маша"}", "from_id": "user${owner ? 1 : 2}", "text": ${JSON.stringify(text)}}`;
    } else {
      const d = new Date(t);
      const pad = (n: number) => String(n).padStart(2, "0");
      line = `${pad(d.getUTCDate())}.${pad(d.getUTCMonth() + 1)}.${d.getUTCFullYear()}, ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())} - ${owner ? "Аня" : "Маша"}: ${text}\n`;
    }
    written += Buffer.byteLength(line);
    await write(line);
  }
  if (format === "telegram") await write("\n ]\n}\n");
  out.end();
  await once(out, "finish");
}

async function child(mode: string, file: string, outDir: string): Promise<void> {
  const started = performance.now();
  const source = exportFilesSource([file]);
  let messages = 0;
  let passes = 1;
  if (mode === "read") {
    for await (const record of source.records()) if (record.type === "message") messages++;
  } else {
    const built = await inspectAndBuild(source.records, {
      resolveOwner: () => ({ ids: ["user1", "Аня"], name: "Аня", matchedBy: "selector" }),
      build: { outDir },
    });
    messages = built.summary.messages;
    passes = built.passes;
  }
  const seconds = (performance.now() - started) / 1000;
  console.log(
    JSON.stringify({ messages, seconds, passes, peakRssMb: process.resourceUsage().maxRSS / 1024 }),
  );
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      sizes: { type: "string", default: "256,1024" },
      formats: { type: "string", default: "telegram,whatsapp" },
      "max-rss-mb": { type: "string", default: "300" },
    },
  });
  const sizes = (values.sizes ?? "").split(",").map(Number);
  const formats = (values.formats ?? "").split(",") as Array<"telegram" | "whatsapp">;
  const maxRssMb = Number(values["max-rss-mb"]);
  const over: string[] = [];
  const dir = await mkdtemp(join(tmpdir(), "aiclone-bench-dataset-"));
  const self = fileURLToPath(import.meta.url);
  const rows: string[] = [];
  try {
    for (const format of formats) {
      for (const mb of sizes) {
        const file = join(
          dir,
          format === "telegram" ? `result-${mb}.json` : `WhatsApp Chat with Маша ${mb}.txt`,
        );
        await writeExport(file, format, mb * 1024 * 1024);
        const size = (await stat(file)).size;
        for (const mode of ["read", "build"]) {
          const result = spawnSync(
            process.execPath,
            [self, "--child", mode, file, join(dir, `out-${format}-${mb}`)],
            {
              encoding: "utf8",
              maxBuffer: 1 << 20,
            },
          );
          if (result.status !== 0) throw new Error(`${format} ${mb} MB ${mode} failed:\n${result.stderr}`);
          const r = JSON.parse(result.stdout.trim().split("\n").at(-1)!) as {
            messages: number;
            seconds: number;
            passes: number;
            peakRssMb: number;
          };
          // MB/s of the input, however many reads the build took (printed beside it).
          const mbs = size / 1024 / 1024 / r.seconds;
          if (mode === "build" && r.peakRssMb > maxRssMb)
            over.push(`${format} ${mb} MB: ${r.peakRssMb.toFixed(0)} MB`);
          rows.push(
            [
              format.padEnd(9),
              `${(size / 1024 / 1024).toFixed(0)} MB`.padStart(8),
              mode.padEnd(6),
              String(r.messages).padStart(10),
              `${mbs.toFixed(1)} MB/s`.padStart(11),
              `${r.peakRssMb.toFixed(0)} MB`.padStart(9),
              mode === "build" ? `${r.passes} read${r.passes > 1 ? "s" : ""}` : "",
            ].join("  "),
          );
          console.error(rows.at(-1));
        }
        await rm(file, { force: true });
        await rm(join(dir, `out-${format}-${mb}`), { recursive: true, force: true });
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  console.log(`format     input     phase   messages  throughput  peak RSS  reads`);
  for (const row of rows) console.log(row);
  if (over.length > 0) {
    console.log(`peak RSS over ${maxRssMb} MB: ${over.join("; ")}`);
    process.exitCode = 1;
  } else console.log(`every build's peak RSS under ${maxRssMb} MB`);
}

if (process.argv[2] === "--child") await child(process.argv[3]!, process.argv[4]!, process.argv[5]!);
else await main();
