import { execFile } from "node:child_process";

export interface OcrEngine {
  /** Text of the image file at `path`, trimmed; empty when the image holds none. */
  recognize(path: string, signal?: AbortSignal): Promise<string>;
}

export interface TesseractOptions {
  /** Tesseract language codes joined by `+`; Russian first for our users. */
  languages?: string;
  /** Per image; a pathological image must not stall a dataset build. */
  timeoutMs?: number;
  binary?: string;
}

/** OCR through the `tesseract` command (Debian's tesseract-ocr with the rus and eng data). */
export class TesseractOcr implements OcrEngine {
  private readonly languages: string;
  private readonly timeoutMs: number;
  private readonly binary: string;

  constructor(options: TesseractOptions = {}) {
    this.languages = options.languages ?? "rus+eng";
    this.timeoutMs = options.timeoutMs ?? 60_000;
    this.binary = options.binary ?? "tesseract";
  }

  /** Whether the binary and the languages are installed; says what is missing otherwise. */
  async check(): Promise<{ ok: true } | { ok: false; reason: string }> {
    try {
      const listed = await this.run(["--list-langs"]);
      const installed = new Set(listed.split(/\r?\n/).map((l) => l.trim()));
      const missing = this.languages.split("+").filter((l) => !installed.has(l));
      return missing.length === 0
        ? { ok: true }
        : {
            ok: false,
            reason: `tesseract lacks language data: ${missing.join(", ")} (apt-get install tesseract-ocr-${missing[0]})`,
          };
    } catch (error) {
      return {
        ok: false,
        reason: `tesseract is not installed (apt-get install tesseract-ocr tesseract-ocr-rus): ${(error as Error).message}`,
      };
    }
  }

  async recognize(path: string, signal?: AbortSignal): Promise<string> {
    // `stdout` as the output base makes tesseract print the text instead of writing a file.
    const text = await this.run([path, "stdout", "-l", this.languages, "--psm", "3"], signal);
    return text
      .replace(/\f/g, "")
      .replace(/[ \t]+\n/g, "\n")
      .replace(/\n{3,}/g, "\n\n")
      .trim();
  }

  private run(args: string[], signal?: AbortSignal): Promise<string> {
    return new Promise((resolve, reject) => {
      execFile(
        this.binary,
        args,
        {
          timeout: this.timeoutMs,
          maxBuffer: 16 * 1024 * 1024,
          encoding: "utf8",
          ...(signal ? { signal } : {}),
        },
        (error, stdout, stderr) => {
          if (error)
            reject(
              new Error(`${this.binary} ${args[0]}: ${stderr.trim() || error.message}`, { cause: error }),
            );
          else resolve(stdout);
        },
      );
    });
  }
}
