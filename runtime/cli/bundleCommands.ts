/** `aiclone bundle init`: a runnable bundle from your own GGUF model (and adapter), without the platform. */
import type { Command } from "commander";
import { initBundle } from "../bundle/initBundle.js";
import { BundleError } from "../bundle/loadBundle.js";

interface BundleInitOptions {
  model: string;
  sha256?: string;
  adapter?: string;
  persona?: string;
  name?: string;
  language?: string;
  out: string;
}

export function registerBundleCommands(program: Command): void {
  const bundle = program.command("bundle").description("clone bundles: what the runtime serves");
  bundle
    .command("init")
    .description("make a runnable bundle from a GGUF model (local file or URL) and an optional LoRA adapter")
    .requiredOption("--model <path|url>", "base model: a local .gguf file or an http(s) URL")
    .option("--sha256 <hex>", "the model's sha256 (required for a URL; checked for a local file)")
    .option("--adapter <gguf>", "LoRA adapter GGUF, copied into the bundle")
    .option("--persona <text>", "system prompt of the persona")
    .option("--name <name>", "the persona's display name", "Clone")
    .option("--language <tag>", "the persona's language, e.g. ru or en", "en")
    .requiredOption("--out <dir>", "bundle folder to write (new or empty)")
    .action(async (options: BundleInitOptions) => {
      try {
        const out = await initBundle(options);
        process.stdout.write(`bundle written to ${out}\nrun it: aiclone runtime start --bundle ${out}\n`);
      } catch (error) {
        if (!(error instanceof BundleError)) throw error;
        console.error(`aiclone bundle init: ${error.message}`);
        process.exitCode = 1;
      }
    });
}
