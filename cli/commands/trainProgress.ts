import cliProgress from "cli-progress";

type TrainerEvent = { event: string } & Record<string, unknown>;

/**
 * What `aiclone train` shows while the trainer works: a bar over the optimizer steps when stderr is a
 * terminal; otherwise a line at the start, about every tenth of the run, and at the end.
 */
export class TrainProgress {
  private bar: cliProgress.SingleBar | undefined;
  private readonly interactive: boolean;
  private lastReported = 0;

  constructor(
    private readonly out: NodeJS.WriteStream,
    quiet: boolean,
  ) {
    this.interactive = out.isTTY === true && !quiet;
  }

  onEvent(event: TrainerEvent): void {
    switch (event.event) {
      case "started": {
        this.note(
          `training on ${event.device} (${event.dtype}${event.quantization ? `, ${event.quantization}` : ""}): ` +
            `${event.train_samples} samples, ${event.total_steps} steps, template ${event.template}`,
        );
        if (!this.interactive) return;
        this.bar = new cliProgress.SingleBar(
          {
            format: "training  [{bar}] {percentage}% | step {value}/{total} | loss {loss} | ETA {eta_s}",
            stream: this.out,
            hideCursor: true,
          },
          cliProgress.Presets.shades_classic,
        );
        const start = Number(event.start_step ?? 0);
        this.bar.start(Math.max(Number(event.total_steps), 1), start, { loss: "–", eta_s: "–" });
        return;
      }
      case "progress": {
        const step = Number(event.step);
        const total = Number(event.total_steps);
        const loss = Number(event.loss).toFixed(4);
        const eta = `${Math.round(Number(event.eta_seconds))} s`;
        if (this.bar) {
          this.bar.update(step, { loss, eta_s: eta });
        } else if (step === total || step - this.lastReported >= Math.max(1, Math.ceil(total / 10))) {
          this.lastReported = step;
          this.out.write(`step ${step}/${total}  loss ${loss}  ETA ${eta}\n`);
        }
        return;
      }
      case "checkpoint":
        if (!this.bar) this.out.write(`checkpoint ${event.path}\n`);
        return;
      default:
        return;
    }
  }

  note(line: string): void {
    if (this.bar) {
      this.bar.stop();
      this.bar = undefined;
    }
    this.out.write(`${line}\n`);
  }

  stop(): void {
    this.bar?.stop();
    this.bar = undefined;
  }
}
