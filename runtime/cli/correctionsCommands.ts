/**
 * `aiclone-runtime corrections export`: the pairs (draft, owner's text) the owner made in Telegram's approve
 * mode, as a file to upload to the platform. An installed clone runs it as `<install folder>/aiclone
 * corrections export` (install_clone.sh writes that script; it names the install folder).
 */
import type { Command } from "commander";
import { BundleError } from "../bundle/loadBundle.js";
import { exportCorrections, installedClonePaths } from "../corrections/correctionExport.js";

/** Set by the installed clone's `aiclone` script: the install folder, so no option is needed there. */
export const INSTALL_DIR_ENV = "AICLONE_RUNTIME_INSTALL_DIR";

interface ExportOptions {
  install?: string;
  bundle?: string;
  dataDir?: string;
  out?: string;
}

async function resolvePaths(options: ExportOptions): Promise<{ bundleDir: string; dataDir?: string }> {
  if (options.bundle) return { bundleDir: options.bundle, dataDir: options.dataDir };
  const install = options.install ?? process.env[INSTALL_DIR_ENV];
  if (!install)
    throw new BundleError("say which clone: --install <folder of an installed clone> or --bundle <dir>");
  const paths = await installedClonePaths(install);
  return { ...paths, dataDir: options.dataDir ?? paths.dataDir };
}

export async function runCorrectionsExport(
  options: ExportOptions,
  write: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
): Promise<void> {
  const result = await exportCorrections({ ...(await resolvePaths(options)), out: options.out });
  if (!result.path) {
    write("No corrections yet: edit a draft in Telegram's approve mode (Edit, or reply to the draft) first.");
    return;
  }
  write(`${result.count} correction${result.count === 1 ? "" : "s"} written to ${result.path}`);
  write(
    "Upload it on the platform: the clone's page in the dashboard (Corrections), or the importCorrections mutation.",
  );
}

export function registerCorrectionsCommands(program: Command): void {
  const corrections = program
    .command("corrections")
    .description("the owner's corrections of the clone's drafts, for its next training");
  corrections
    .command("export")
    .description(
      "write the corrections (draft, your text, the turns before) as a file to upload to the platform",
    )
    .option(
      "--install <dir>",
      "an installed clone's folder (default: the one whose aiclone script runs this)",
    )
    .option("--bundle <dir>", "a bundle folder instead of an installed clone")
    .option("--data-dir <dir>", "the runtime's data folder (default: the install's data, or <bundle>/data)")
    .option("--out <file>", "the file to write (default: corrections-<date>.json here)")
    .action(async (options: ExportOptions) => {
      try {
        await runCorrectionsExport(options);
      } catch (error) {
        if (!(error instanceof BundleError)) throw error;
        console.error(`aiclone corrections export: ${error.message}`);
        process.exitCode = 1;
      }
    });
}
