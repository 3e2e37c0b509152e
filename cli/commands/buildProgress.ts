import cliProgress from "cli-progress";

/**
 * What `dataset build` shows while it works: a counter during the first pass (the total is not known yet),
 * then a bar over the messages the first pass counted. Quiet when stderr is not a terminal (CI, pipes).
 */
export class BuildProgress {
  private bar: cliProgress.SingleBar | undefined;
  private lastLine = 0;
  private readonly interactive: boolean;

  constructor(private readonly out: NodeJS.WriteStream) {
    this.interactive = out.isTTY === true;
  }

  reading(messages: number): void {
    if (!this.interactive || Date.now() - this.lastLine < 100) return;
    this.lastLine = Date.now();
    this.out.write(`\rreading exports: ${messages.toLocaleString("en")} messages`);
  }

  done(line: string): void {
    this.out.write(`${this.interactive ? "\r\x1b[K" : ""}${line}\n`);
  }

  startBuild(total: number): void {
    if (!this.interactive) return;
    this.bar = new cliProgress.SingleBar(
      {
        format:
          "building  [{bar}] {percentage}% | {value}/{total} messages | {samples} samples | ETA {eta_formatted}",
        stream: this.out,
        hideCursor: true,
      },
      cliProgress.Presets.shades_classic,
    );
    this.bar.start(Math.max(total, 1), 0, { samples: 0 });
  }

  building(messages: number, samples: number): void {
    this.bar?.update(messages, { samples });
  }

  stop(): void {
    this.bar?.stop();
    this.bar = undefined;
  }
}
