// Finds shared/ (small real models and chat exports for tests): SHARED_DATA_DIR, else beside the
// repository, else beside the repository this one was cloned from (`git clone . /tmp/x` leaves it there).
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");

function originPath() {
  try {
    const url = execFileSync("git", ["config", "--get", "remote.origin.url"], {
      cwd: repoRoot,
      encoding: "utf8",
    }).trim();
    // Only a clone of a local checkout has its shared/ on this machine.
    if (!url || /^[a-z][a-z0-9+.-]*:\/\//i.test(url) || /^[^/]+@[^:]+:/.test(url)) return null;
    return isAbsolute(url) ? url : resolve(repoRoot, url);
  } catch {
    return null;
  }
}

export function findSharedDir() {
  if (process.env.SHARED_DATA_DIR) return resolve(process.env.SHARED_DATA_DIR);
  const beside = join(repoRoot, "..", "shared");
  if (existsSync(beside)) return beside;
  const origin = originPath();
  const besideOrigin = origin ? join(origin.replace(/\/\.git\/?$/, ""), "..", "shared") : null;
  return besideOrigin && existsSync(besideOrigin) ? besideOrigin : null;
}
