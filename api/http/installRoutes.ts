import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { basename } from "node:path";
import type express from "express";
import { bundleStatement, packageStatement } from "../../domain/index.js";
import type { ArtifactStore } from "../../infra/blobstore/artifactStore.js";
import type { ReadModels } from "../../projections/readModels.js";
import type { CloneView, PublishedVersionView as PublishedVersion } from "../../projections/views.js";
import { hashMatches, installTokenIdOf } from "../auth/apiKeyToken.js";
import type { Authenticator } from "../auth/authenticator.js";
import { addressOf, type RequestRateLimiter } from "../limits/requestRateLimits.js";
import { bundlePath } from "../types/mappers.js";
import { type ByteRange, parseByteRange } from "./byteRange.js";

/** An npm package a person's machine installs (scripts/packPackages.mjs): the runtime, the SDK, a plugin. */
export interface InstallPackage {
  /** The npm name: `aiclone-runtime`, `@aiclone/plugin-sdk` or `@aiclone/plugin-<plugin>`. */
  name: string;
  /** The built-in plugin a plugin package carries (what clone.json names it). */
  plugin?: string;
  version: string;
  sha256: string;
  /** The tarball on this machine. */
  path: string;
}

export const RUNTIME_PACKAGE = "aiclone-runtime";

/** The platform's install-signing key (infra/crypto/signingKey.ts): signs a statement, base64. */
export interface InstallSigner {
  sign(statement: string): string;
}

export interface InstallRoutesOptions {
  models: ReadModels;
  artifacts: ArtifactStore;
  authenticator: Authenticator;
  /** The installer, with `__AICLONE_PLATFORM_URL__` where the platform's address goes. */
  installScript: string;
  publicUrl: () => string;
  /** The packages built here (the runtime among them); null when not built: installs are refused saying so. */
  packages: InstallPackage[] | null;
  /** Signs the bundle's and each package's facts in the manifest (domain/artifacts/installStatements.ts). */
  signer: InstallSigner;
  /** Base models served from this machine (registry name → GGUF path), for bundles that name no other URL. */
  baseModelFiles?: Map<string, string>;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

const PACKAGES_PATH = "/runtime/packages";
const packageUrl = (options: InstallRoutesOptions, pkg: InstallPackage) =>
  `${options.publicUrl()}${PACKAGES_PATH}/${basename(pkg.path)}`;

/** What every route reads: the options, and the API's rate limiter once the routes are mounted. */
interface InstallState {
  options: InstallRoutesOptions;
  limiter?: RequestRateLimiter;
}

type Handler = (request: express.Request, response: express.Response) => Promise<void>;

/**
 * What the one-command install needs from the platform: the installer, a clone's bundle manifest and
 * archive (an install token of that clone, or its owner's API key, as Bearer; Range honoured), and the
 * runtime's npm package.
 */
export function installRoutes(
  options: InstallRoutesOptions,
): (app: express.Express, limiter?: RequestRateLimiter) => void {
  const state: InstallState = { options };
  const route = (
    handler: (state: InstallState, request: express.Request, response: express.Response) => Promise<void>,
  ) => handle((request, response) => handler(state, request, response));
  return (app, rateLimiter) => {
    state.limiter = rateLimiter;
    app.get("/install_clone.sh", route(sendInstallScript));
    app.get("/clones/:cloneId/bundles/:version/manifest", route(sendManifest));
    app.get("/clones/:cloneId/bundles/:version", route(sendBundle));
    app.get("/models/:file", route(sendBaseModel));
    app.get(`${PACKAGES_PATH}/:file`, route(sendPackage));
  };
}

/** An HttpError answers with its status, headers and message; anything else is a 500 "internal error". */
function handle(handler: Handler) {
  return (request: express.Request, response: express.Response) => {
    handler(request, response).catch((error: unknown) => {
      const status = error instanceof HttpError ? error.status : 500;
      const message = error instanceof HttpError ? error.message : "internal error";
      if (response.headersSent) response.destroy();
      else
        response
          .status(status)
          .set(error instanceof HttpError ? error.headers : {})
          .json({ error: message });
    });
  };
}

async function sendInstallScript(
  { options }: InstallState,
  _request: express.Request,
  response: express.Response,
): Promise<void> {
  response
    .type("text/x-shellscript; charset=utf-8")
    .set("Cache-Control", "no-store")
    .send(options.installScript.replaceAll("__AICLONE_PLATFORM_URL__", options.publicUrl()));
}

async function sendManifest(
  state: InstallState,
  request: express.Request,
  response: express.Response,
): Promise<void> {
  const { cloneId, clone, version } = await requestedVersion(state, request);
  response.set("Cache-Control", "no-store").json(bundleManifest(state.options, cloneId, clone, version));
}

/**
 * Where the installer downloads the bundle, the runtime package and the other packages from (the SDK and
 * every built-in plugin: it installs those the bundle enables), with their checksums.
 */
function bundleManifest(
  options: InstallRoutesOptions,
  cloneId: string,
  clone: CloneView,
  version: PublishedVersion,
) {
  const packages = builtPackages(options);
  const runtime = packages.find((pkg) => pkg.name === RUNTIME_PACKAGE);
  if (!runtime) throw new HttpError(503, "the runtime package is not built on this platform (npm run build)");
  const { signer } = options;
  const { sha256, size } = version;
  if (sha256 === null || size === null)
    throw new HttpError(410, `the bundle of version ${version.version} has no recorded checksum`);
  const bundle = { cloneId, version: version.version, sha256, size };
  const signedPackage = (pkg: InstallPackage) => ({
    version: pkg.version,
    sha256: pkg.sha256,
    url: packageUrl(options, pkg),
    signature: signer.sign(packageStatement(pkg)),
  });
  return {
    ...bundle,
    name: clone.name,
    url: `${options.publicUrl()}${bundlePath(cloneId, version.version)}`,
    signature: signer.sign(bundleStatement(bundle)),
    runtime: signedPackage(runtime),
    packages: packages
      .filter((pkg) => pkg !== runtime)
      .map((pkg) => ({
        name: pkg.name,
        ...(pkg.plugin ? { plugin: pkg.plugin } : {}),
        ...signedPackage(pkg),
      })),
  };
}

async function sendBundle(
  state: InstallState,
  request: express.Request,
  response: express.Response,
): Promise<void> {
  const { cloneId, version } = await requestedVersion(state, request);
  const { artifacts } = state.options;
  const info = version.artifactKey ? await artifacts.stat(version.artifactKey) : null;
  if (!info || !version.artifactKey)
    throw new HttpError(410, `the bundle of version ${version.version} is no longer stored`);
  const range = parseByteRange(request.headers.range, info.size);
  response.set({
    "Accept-Ranges": "bytes",
    "Content-Type": "application/gzip",
    "Content-Disposition": `attachment; filename="clone-${cloneId}-v${version.version}.tar.gz"`,
    ETag: `"${info.sha256}"`,
    "Cache-Control": "private, no-store",
  });
  if (range === "unsatisfiable") {
    refuseRange(response, info.size);
    return;
  }
  const body = await artifacts.get(version.artifactKey, range ? { range } : {});
  setLength(response, range, info.size);
  body.on("error", () => response.destroy());
  body.pipe(response);
}

async function sendBaseModel(
  { options }: InstallState,
  request: express.Request,
  response: express.Response,
): Promise<void> {
  const file = String(request.params.file);
  const path = file.endsWith(".gguf")
    ? options.baseModelFiles?.get(file.slice(0, -".gguf".length))
    : undefined;
  if (!path) throw new HttpError(404, `no base model ${file} is served here`);
  const { size } = await stat(path);
  const range = parseByteRange(request.headers.range, size);
  response.set({ "Accept-Ranges": "bytes", "Content-Type": "application/octet-stream" });
  if (range === "unsatisfiable") {
    refuseRange(response, size);
    return;
  }
  setLength(response, range, size);
  createReadStream(path, range ? { start: range.start, end: range.end } : {}).pipe(response);
}

async function sendPackage(
  { options }: InstallState,
  request: express.Request,
  response: express.Response,
): Promise<void> {
  const file = String(request.params.file);
  const pkg = builtPackages(options).find((candidate) => basename(candidate.path) === file);
  if (!pkg) throw new HttpError(404, `no package ${file} is served here`);
  const { size } = await stat(pkg.path);
  response.set({
    "Content-Type": "application/gzip",
    "Content-Length": String(size),
    ETag: `"${pkg.sha256}"`,
  });
  createReadStream(pkg.path).pipe(response);
}

function builtPackages(options: InstallRoutesOptions): InstallPackage[] {
  const { packages } = options;
  if (!packages?.length)
    throw new HttpError(503, "the runtime package is not built on this platform (npm run build)");
  return packages;
}

function refuseRange(response: express.Response, size: number): void {
  response.status(416).set("Content-Range", `bytes */${size}`).end();
}

/** 206 with the range's Content-Range and length, or the whole size. */
function setLength(
  response: express.Response,
  range: Exclude<ByteRange, "unsatisfiable">,
  size: number,
): void {
  if (range)
    response.status(206).set({
      "Content-Range": `bytes ${range.start}-${range.end}/${size}`,
      "Content-Length": String(range.end - range.start + 1),
    });
  else response.set("Content-Length", String(size));
}

function tooMany(message: string, retryAfterSeconds: number): HttpError {
  return new HttpError(429, message, { "Retry-After": String(retryAfterSeconds) });
}

/**
 * A caller whose address spent its budget without a valid key is refused before its token is looked at;
 * each failed authentication spends one request of that budget (the one GraphQL callers without a valid
 * key share).
 */
async function authorizedClone(
  { options, limiter }: InstallState,
  request: express.Request,
  cloneId: string,
): Promise<CloneView> {
  const address = addressOf(request);
  const blocked = await limiter?.blocked(address);
  if (blocked) throw tooMany(blocked.message, blocked.retryAfterSeconds);
  try {
    return await verifiedClone(options, request, cloneId);
  } catch (error) {
    if (error instanceof HttpError && error.status === 401 && limiter) {
      const refusal = await limiter.consume({ address });
      if (refusal) throw tooMany(refusal.message, refusal.retryAfterSeconds);
    }
    throw error;
  }
}

/** The clone, if the Bearer token is a valid install token of it or an API key of its owner. */
async function verifiedClone(
  options: InstallRoutesOptions,
  request: express.Request,
  cloneId: string,
): Promise<CloneView> {
  const header = request.headers.authorization;
  if (!header) throw new HttpError(401, "an install token is required (Authorization: Bearer <token>)");
  const token = header.replace(/^Bearer\s+/i, "").trim();
  const clone = await options.models.clones.get(cloneId);
  const tokenId = installTokenIdOf(token);
  if (tokenId) await checkInstallToken(options.models, token, tokenId, cloneId);
  else {
    const principal = await options.authenticator.authenticate(header);
    if (!principal) throw new HttpError(401, "the token is neither an install token nor an API key");
    if (!clone || clone.ownerId !== principal.ownerId) throw new HttpError(404, `clone ${cloneId} not found`);
  }
  if (!clone || clone.deleted) throw new HttpError(404, `clone ${cloneId} not found`);
  return clone;
}

/** Refuses (401) an install token that is unknown, of another clone, revoked or expired. */
async function checkInstallToken(
  models: ReadModels,
  token: string,
  tokenId: string,
  cloneId: string,
): Promise<void> {
  const stored = await models.installTokens.get(tokenId);
  if (!stored || !hashMatches(token, stored.hash) || stored.cloneId !== cloneId)
    throw new HttpError(401, `the install token is not valid for clone ${cloneId}`);
  if (stored.revokedAt) throw new HttpError(401, "the install token was revoked");
  if (Date.parse(stored.expiresAt) <= Date.now())
    throw new HttpError(401, `the install token expired at ${stored.expiresAt}`);
}

/** The clone and published version a manifest or bundle request names, once its install token is checked. */
async function requestedVersion(state: InstallState, request: express.Request) {
  const cloneId = String(request.params.cloneId);
  const clone = await authorizedClone(state, request, cloneId);
  return { cloneId, clone, version: versionOf(clone, String(request.params.version)) };
}

function versionOf(clone: CloneView, requested: string): PublishedVersion {
  if (clone.published.length === 0)
    throw new HttpError(404, `clone ${clone._id} has no published version yet`);
  if (requested === "latest") return clone.published.at(-1)!;
  const found = /^\d+$/.test(requested)
    ? clone.published.find((p) => p.version === Number(requested))
    : undefined;
  if (!found)
    throw new HttpError(
      404,
      `clone ${clone._id} has no version ${requested} (published: ${clone.published.map((p) => p.version).join(", ")})`,
    );
  return found;
}
