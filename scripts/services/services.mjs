#!/usr/bin/env node
// `node scripts/services/services.mjs up|down|status|env|restart [names…]`: real servers on 127.0.0.1 for
// the integration tests and for a distributed platform on one machine. Idempotent: `up` installs what is
// missing (cached in .cache/services), starts what is not running and waits until each answers.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { cacheRoot, log, runRoot } from "./lib.mjs";

const modules = {
  kafka: () => import("./kafka.mjs"),
  ferretdb: () => import("./ferretdb.mjs"),
  s3: () => import("./s3.mjs"),
};

export async function loadServices(names = Object.keys(modules)) {
  const unknown = names.filter((n) => !(n in modules));
  if (unknown.length)
    throw new Error(`unknown service(s): ${unknown.join(", ")}; known: ${Object.keys(modules).join(", ")}`);
  return Promise.all(names.map(async (n) => (await modules[n]()).service));
}

const dirsOf = (service) => ({
  cacheDir: join(cacheRoot, service.name),
  runDir: join(runRoot, service.name),
  log: (message) => log(service.name, message),
});

/** The environment the integration tests and a distributed platform read to reach the servers. */
export function envOf(services) {
  return Object.assign({}, ...services.map((s) => s.env));
}

export const envFile = join(runRoot, "env.json");

export async function up(names) {
  const services = await loadServices(names);
  mkdirSync(runRoot, { recursive: true });
  // Installs may build from source: one at a time on a 2-core machine; starts in parallel.
  for (const service of services) {
    const dirs = dirsOf(service);
    mkdirSync(dirs.cacheDir, { recursive: true });
    await service.install(dirs);
  }
  await Promise.all(
    services.map(async (service) => {
      const dirs = dirsOf(service);
      if (await service.isUp()) {
        dirs.log("already running");
        return;
      }
      mkdirSync(dirs.runDir, { recursive: true });
      const started = Date.now();
      await service.start(dirs);
      dirs.log(`up in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    }),
  );
  const env = envOf(await loadServices());
  writeFileSync(envFile, `${JSON.stringify(env, null, 2)}\n`);
  return env;
}

export async function down(names) {
  const services = await loadServices(names);
  await Promise.all(services.map((service) => service.stop(dirsOf(service))));
  // Data goes with the servers: every `up` starts from empty servers.
  for (const service of services) rmSync(dirsOf(service).runDir, { recursive: true, force: true });
}

export async function restart(names) {
  const services = await loadServices(names);
  for (const service of services) {
    const dirs = dirsOf(service);
    await service.stop(dirs);
    await service.start(dirs);
  }
}

async function main() {
  const [command = "status", ...names] = process.argv.slice(2);
  const selected = names.length ? names : undefined;
  switch (command) {
    case "up": {
      const env = await up(selected);
      for (const [k, v] of Object.entries(env)) console.log(`${k}=${v}`);
      break;
    }
    case "down":
      await down(selected);
      break;
    case "restart":
      await restart(selected);
      break;
    case "env":
      for (const [k, v] of Object.entries(envOf(await loadServices(selected)))) console.log(`${k}=${v}`);
      break;
    case "status":
      for (const service of await loadServices(selected))
        console.log(`${service.name}: ${(await service.isUp()) ? "up" : "down"}`);
      break;
    default:
      throw new Error(`unknown command ${command}: use up, down, restart, status or env`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main().catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
