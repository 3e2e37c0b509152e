/**
 * Preloaded into a benchmark's child process (`node --import <this file> …`): when the process exits it
 * writes its own peak RSS and CPU time to the file named by AICLONE_BENCH_USAGE, so the parent measures a
 * child's memory without /usr/bin/time. Does nothing when the variable is unset.
 */
import { writeFileSync } from "node:fs";

const target = process.env.AICLONE_BENCH_USAGE;
if (target)
  process.on("exit", (code) => {
    const usage = process.resourceUsage();
    writeFileSync(
      target,
      JSON.stringify({
        code,
        maxRssMb: usage.maxRSS / 1024,
        cpuSeconds: (usage.userCPUTime + usage.systemCPUTime) / 1e6,
      }),
    );
  });
