import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";

/**
 * A secret of the embedded defaults kept in the data folder (the master key, the signing key): read it, or
 * make it once, owner-only. "wx": two processes starting at once must not each make a different one.
 */
export async function readOrCreateSecret(
  file: string,
  make: () => string,
): Promise<{ text: string; created: boolean }> {
  const existing = await readFile(file, "utf8").catch(() => null);
  if (existing !== null) return { text: existing, created: false };
  const text = make();
  await mkdir(dirname(file), { recursive: true });
  const written = await writeFile(file, text, { mode: 0o600, flag: "wx" }).then(
    () => true,
    (error: NodeJS.ErrnoException) => {
      if (error.code === "EEXIST") return false;
      throw error;
    },
  );
  if (!written) return { text: await readFile(file, "utf8"), created: false };
  await chmod(file, 0o600);
  return { text, created: true };
}

/** A secret from a configured file (a mounted secret), with the setting's name in the error. */
export async function readConfiguredSecret(file: string, setting: string): Promise<string> {
  return readFile(resolve(file), "utf8").catch((error: NodeJS.ErrnoException) => {
    throw new Error(`${setting}: cannot read ${file} (${error.code ?? error.message})`);
  });
}
