import { mkdtemp, readdir, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build } from "../build.js";
import { BuildOptions } from "../buildOptions.js";
import { DatasetStats } from "../datasetStats.js";
import { ChatMessagesRecord } from "../sampleRecord.js";
import { me, RecordFixture } from "./recordFixture.js";

export interface BuildResult {
  stats: DatasetStats;
  train: ChatMessagesRecord[];
  val: ChatMessagesRecord[];
  /** Train then val, without the system message. */
  all: Array<Array<{ role: string; content: string }>>;
  dir: string;
  files: string[];
}

async function readJsonl(path: string): Promise<ChatMessagesRecord[]> {
  const text = await readFile(path, "utf8").catch(() => "");
  return text
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as ChatMessagesRecord);
}

export async function buildFixture(
  fixture: RecordFixture,
  options: Partial<BuildOptions> = {},
): Promise<BuildResult> {
  const dir = await mkdtemp(join(tmpdir(), "dataset-"));
  const stats = await build(fixture.source(), {
    owner: { ids: [me.id], name: me.name },
    outDir: dir,
    valFraction: 0,
    ...options,
  });
  const train = await readJsonl(join(dir, "train.jsonl"));
  const val = await readJsonl(join(dir, "val.jsonl"));
  const all = [...train, ...val].map((r) => r.messages.filter((m) => m.role !== "system"));
  return { stats, train, val, all, dir, files: (await readdir(dir)).sort() };
}
