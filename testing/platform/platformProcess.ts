import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";

const bin = fileURLToPath(new URL("../../../bin/aiclone", import.meta.url));

/** `aiclone platform start` as a separate OS process, as an operator runs it. */
export class PlatformProcess {
  private out = "";
  private err = "";

  private constructor(readonly child: ChildProcess) {
    child.stdout?.on("data", (chunk) => {
      this.out += chunk;
    });
    child.stderr?.on("data", (chunk) => {
      this.err += chunk;
    });
  }

  static spawn(args: string[], env: Record<string, string>): PlatformProcess {
    return PlatformProcess.command(["platform", "start", ...args], env);
  }

  /** Any `aiclone` command (e.g. `trainer worker`) as a separate process. */
  static command(args: string[], env: Record<string, string>): PlatformProcess {
    return new PlatformProcess(
      spawn(process.execPath, [bin, ...args], {
        env: { ...process.env, AICLONE_LOG__LEVEL: "warn", ...env },
        stdio: ["ignore", "pipe", "pipe"],
      }),
    );
  }

  get stdout(): string {
    return this.out;
  }

  get stderr(): string {
    return this.err;
  }

  /** Waits until stdout matches; fails with both streams when the process exits or time runs out. */
  async waitFor(pattern: RegExp, timeoutMs = 60_000): Promise<RegExpExecArray> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const match = pattern.exec(this.out);
      if (match) return match;
      if (this.child.exitCode !== null)
        throw new Error(
          `platform exited with ${this.child.exitCode} before ${pattern}:\n${this.out}\n${this.err}`,
        );
      if (Date.now() > deadline)
        throw new Error(`timed out waiting for ${pattern}:\n${this.out}\n${this.err}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async graphqlUrl(): Promise<string> {
    return (await this.waitFor(/GraphQL API: (\S+)/))[1]!;
  }

  /** The exit code, or the name of the signal that ended the process (a crash or an unhandled signal). */
  async stop(signal: NodeJS.Signals = "SIGTERM"): Promise<number | string | null> {
    if (this.child.exitCode !== null || this.child.signalCode !== null)
      return this.child.exitCode ?? this.child.signalCode;
    this.child.kill(signal);
    const [code, endedBy] = await once(this.child, "exit");
    return (code as number | null) ?? (endedBy as string | null);
  }
}
