import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { createReadStream, createWriteStream, WriteStream } from "node:fs";
import { mkdir, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import { createInterface } from "node:readline";

/** Lines are gathered into chunks of about this many characters before they go to the stream. */
const chunkChars = 1 << 16;

/**
 * A line-oriented file being written to a temporary name, with backpressure. Lines are joined into chunks
 * of ~64 K characters: one stream write per line (a callback and a buffer each) cost more than the lines.
 */
class StagedFile {
  lines = 0;
  private stream: WriteStream;
  private pending = "";

  constructor(readonly tempPath: string) {
    this.stream = createWriteStream(tempPath, { flags: "wx" });
  }

  async writeLine(line: string): Promise<void> {
    this.lines++;
    this.pending += `${line}\n`;
    if (this.pending.length >= chunkChars) await this.flush();
  }

  private async flush(): Promise<void> {
    const chunk = this.pending;
    this.pending = "";
    if (chunk && !this.stream.write(chunk)) await once(this.stream, "drain");
  }

  async close(): Promise<void> {
    if (this.stream.closed) return;
    if (!this.stream.destroyed) await this.flush();
    this.stream.end();
    await once(this.stream, "close");
  }
}

/**
 * The output directory's files, written under temporary names and renamed into place only by commit():
 * an aborted or failed build leaves the previous output (or none) and no half-written file.
 */
export class StagedOutput {
  private readonly files = new Map<string, StagedFile>();
  private readonly tag = `${process.pid}.${randomBytes(4).toString("hex")}`;

  private constructor(readonly dir: string) {}

  static async open(dir: string, names: readonly string[]): Promise<StagedOutput> {
    await mkdir(dir, { recursive: true });
    const output = new StagedOutput(dir);
    for (const name of names) output.files.set(name, new StagedFile(output.tempPathOf(name)));
    return output;
  }

  lineCount(name: string): number {
    return this.file(name).lines;
  }

  writeLine(name: string, line: string): Promise<void> {
    return this.file(name).writeLine(line);
  }

  /**
   * Moves lines [from, from + count) of one staged file to the end of another, streamed rather than
   * loaded; the source cannot be written to afterwards.
   */
  async moveLines(fromName: string, toName: string, from: number, count: number): Promise<void> {
    let index = 0;
    await this.splitLines(fromName, toName, (line) => {
      const move = index >= from && index < from + count;
      index++;
      return move ? { keep: null, move: [line] } : { keep: line, move: [] };
    });
  }

  /**
   * Rewrites one staged file line by line: each line is kept (possibly changed) or dropped, and may send
   * lines to the end of another file. Streamed; the source cannot be written to afterwards.
   */
  async splitLines(
    fromName: string,
    toName: string,
    split: (line: string) => { keep: string | null; move: string[] },
  ): Promise<void> {
    const source = this.file(fromName);
    const target = this.file(toName);
    await source.close();
    const rewritten = new StagedFile(`${source.tempPath}.rewrite`);
    for await (const line of createInterface({
      input: createReadStream(source.tempPath),
      crlfDelay: Number.POSITIVE_INFINITY,
    })) {
      const { keep, move } = split(line);
      if (keep !== null) await rewritten.writeLine(keep);
      for (const moved of move) await target.writeLine(moved);
    }
    await rewritten.close();
    await rename(rewritten.tempPath, source.tempPath);
    // The source stays closed: moving lines is the last step before commit.
    source.lines = rewritten.lines;
  }

  /** Writes a whole small file (stats.json) to its staged name. */
  async writeWhole(name: string, content: string): Promise<void> {
    const file = this.file(name);
    await file.writeLine(content.replace(/\n$/, ""));
  }

  /** Renames every staged file into place; `last` is renamed after the others (its presence marks completion). */
  async commit(last?: string): Promise<void> {
    for (const file of this.files.values()) await file.close();
    const order = [...this.files.keys()].sort((a, b) => Number(a === last) - Number(b === last));
    for (const name of order) await rename(this.file(name).tempPath, join(this.dir, name));
  }

  /** Removes every staged file; the directory keeps whatever it had before. */
  async discard(): Promise<void> {
    for (const file of this.files.values()) {
      await file.close().catch(() => undefined);
      await rm(file.tempPath, { force: true });
      await rm(`${file.tempPath}.rewrite`, { force: true });
    }
  }

  private tempPathOf(name: string): string {
    return join(this.dir, `.${name}.${this.tag}.tmp`);
  }

  private file(name: string): StagedFile {
    const file = this.files.get(name);
    if (!file) throw new Error(`no staged file ${name}`);
    return file;
  }
}
