#!/usr/bin/env node
// Removes build output before a build, so tests of deleted sources cannot linger in dist/.
import { rmSync } from "node:fs";

for (const path of process.argv.slice(2)) rmSync(path, { recursive: true, force: true });
