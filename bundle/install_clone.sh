#!/usr/bin/env bash
# Installs (or upgrades) a published AI clone on this machine and starts it:
#   AICLONE_PLATFORM_KEY=KEY bash <(curl -fsSL __AICLONE_PLATFORM_URL__/install_clone.sh) --clone-id ID --token TOKEN [--dir DIR] [--port PORT] [--threads N] [--version N] [--no-start]
# KEY is the platform's public key, pasted with the command: the bundle and every package must be signed by it.
# Everything new is prepared in a staging folder first; the running install is replaced only at the very end,
# so a wrong token, a network failure or Ctrl-C leave the previous install as it was.
set -Eeuo pipefail

PLATFORM="${AICLONE_PLATFORM_URL:-__AICLONE_PLATFORM_URL__}"
CLONE_ID=""
TOKEN="${AICLONE_INSTALL_TOKEN:-}"
PLATFORM_KEY="${AICLONE_PLATFORM_KEY:-}"
SKIP_SIGNATURE=0
DIR=""
PORT=""
THREADS=""
VERSION="latest"
START=1
MIN_FREE_MB="${AICLONE_MIN_FREE_MB:-1024}"

say() { printf '%s\n' "$*" >&2; }
fail() { say "aiclone install: $*"; exit 1; }

usage() {
  cat >&2 <<USAGE
usage: install_clone.sh --clone-id ID --token TOKEN [--dir DIR] [--port PORT] [--threads N] [--version N] [--no-start]
  --dir DIR      where the clone lives (default: ~/.aiclone/clones/ID); conversations and settings stay on upgrade
  --port PORT    port of the local web chat and OpenAI-compatible API (default: 3000, or the one set before)
  --threads N    CPU threads for the model (default: all cores, or the number set before; 1-2 on a small machine)
  --version N    a published version (default: the newest)
  --no-start     install only; start later with DIR/start.sh
  --platform-key KEY   the platform's public key (or AICLONE_PLATFORM_KEY=KEY, as the pasted command sets it)
  --insecure-skip-signature   install without checking that the platform signed what is downloaded
USAGE
}

while [ $# -gt 0 ]; do
  case "$1" in
    --clone-id) CLONE_ID="${2:-}"; shift 2 ;;
    --token) TOKEN="${2:-}"; shift 2 ;;
    --dir) DIR="${2:-}"; shift 2 ;;
    --port) PORT="${2:-}"; shift 2 ;;
    --threads) THREADS="${2:-}"; shift 2 ;;
    --version) VERSION="${2:-}"; shift 2 ;;
    --platform) PLATFORM="${2:-}"; shift 2 ;;
    --no-start) START=0; shift ;;
    --platform-key) PLATFORM_KEY="${2:-}"; shift 2 ;;
    --insecure-skip-signature) SKIP_SIGNATURE=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) usage; fail "unknown option: $1" ;;
  esac
done
[ -n "$CLONE_ID" ] || { usage; fail "--clone-id is required"; }
[ -n "$TOKEN" ] || { usage; fail "--token is required (create one in the dashboard or with createInstallToken)"; }
[[ "$CLONE_ID" =~ ^[A-Za-z0-9-]+$ ]] || fail "--clone-id: not a clone id: $CLONE_ID"
[[ "$VERSION" =~ ^(latest|[0-9]+)$ ]] || fail "--version: expected a number, got $VERSION"
[ -z "$PORT" ] || [[ "$PORT" =~ ^[1-9][0-9]{0,4}$ && "$PORT" -le 65535 ]] || fail "--port: expected 1-65535, got $PORT"
[ -z "$THREADS" ] || [[ "$THREADS" =~ ^[1-9][0-9]{0,3}$ && "$THREADS" -le 1024 ]] || fail "--threads: expected 1-1024, got $THREADS"
PLATFORM="${PLATFORM%/}"
platform_pattern='^https?://[]A-Za-z0-9.:[-]+(/[A-Za-z0-9._~/-]*)?$'
[[ "$PLATFORM" =~ $platform_pattern ]] ||
  fail "--platform: expected http(s)://host[:port][/path], got ${PLATFORM//[^[:print:]]/?}"
DIR="${DIR:-$HOME/.aiclone/clones/$CLONE_ID}"
# An Ed25519 public key as SPKI DER in base64: a fixed 16-character prefix and the 32-byte key.
if [ -n "$PLATFORM_KEY" ]; then
  [[ "$PLATFORM_KEY" =~ ^MCowBQYDK2VwAyEA[A-Za-z0-9+/]{43}=$ ]] ||
    fail "the platform key is not an Ed25519 public key (copy the whole install command again)"
elif [ "$SKIP_SIGNATURE" = 1 ]; then
  say "WARNING: --insecure-skip-signature: nothing checks that the platform made what gets installed."
else
  fail "no platform key: paste the whole install command from the dashboard (it starts with AICLONE_PLATFORM_KEY=), or pass --insecure-skip-signature to install without checking signatures"
fi

# --- the channel to the platform ---------------------------------------------------------------------------
# An https platform is reached over https only: curl refuses plain http (and any other protocol) for the
# first request and for every redirect, so nothing can downgrade the connection that carries the token.
PLATFORM_HOST="${PLATFORM#*://}"
PLATFORM_HOST="${PLATFORM_HOST%%/*}"
if [[ "$PLATFORM_HOST" == \[* ]]; then PLATFORM_HOST="${PLATFORM_HOST%%]*}]"; else PLATFORM_HOST="${PLATFORM_HOST%%:*}"; fi
if [[ "$PLATFORM" == https://* ]]; then
  CURL_PROTO=(--proto '=https' --proto-redir '=https')
else
  CURL_PROTO=(--proto '=http,https' --proto-redir '=http,https')
  if ! [[ "$PLATFORM_HOST" =~ ^(localhost|127\.[0-9]+\.[0-9]+\.[0-9]+|\[::1\])$ ]]; then
    say "################################################################################################"
    say "WARNING: the platform $PLATFORM is plain http on a host that is not this machine."
    say "WARNING: the install token and everything downloaded (the clone and the code that runs it) travel"
    say "WARNING: unencrypted: anyone on the way can read the token and replace what gets installed."
    say "WARNING: ask the platform's operator for its https address (api.publicUrl must be https)."
    say "################################################################################################"
  fi
fi

# --- what this machine needs -------------------------------------------------------------------------------
missing=()
command -v curl >/dev/null 2>&1 || missing+=("curl")
command -v tar >/dev/null 2>&1 || missing+=("tar")
command -v node >/dev/null 2>&1 || missing+=("Node.js 20 or newer (https://nodejs.org)")
command -v npm >/dev/null 2>&1 || missing+=("npm (comes with Node.js)")
if command -v sha256sum >/dev/null 2>&1; then SHA256=(sha256sum)
elif command -v shasum >/dev/null 2>&1; then SHA256=(shasum -a 256)
else missing+=("sha256sum or shasum"); fi
[ ${#missing[@]} -eq 0 ] || fail "missing on this machine: ${missing[*]}"
node_major="$(node -p 'process.versions.node.split(".")[0]')"
[ "$node_major" -ge 20 ] || fail "Node.js $(node -v) is too old: version 20 or newer is needed"

mkdir -p "$DIR"
DIR="$(cd "$DIR" && pwd)"
free_mb="$(df -Pk "$DIR" | awk 'NR==2 { print int($4 / 1024) }')"
[ "${free_mb:-0}" -ge "$MIN_FREE_MB" ] || fail "only ${free_mb} MB free in $DIR; at least $MIN_FREE_MB MB are needed (more for the model)"

STAGE="$(mktemp -d "$DIR/.install.XXXXXX")"
cleanup() { rm -rf "$STAGE"; }
trap cleanup EXIT
trap 'say ""; say "aiclone install: interrupted; the previous install is unchanged"; exit 130' INT TERM

# --- talking to the platform -------------------------------------------------------------------------------
# GET with the token; on failure, the platform's own message (it says whether the token or the clone is wrong).
fetch() { # url output [extra curl args...]
  local url="$1" out="$2" code
  shift 2
  if ! code="$(curl "${CURL_PROTO[@]}" -sS -L --max-redirs 5 --retry 3 --retry-connrefused --connect-timeout 15 -H "Authorization: Bearer $TOKEN" \
      -o "$out" -w '%{http_code}' "$@" "$url")"; then
    fail "cannot reach the platform at $PLATFORM (network error); nothing was changed"
  fi
  if [ "$code" -ge 400 ]; then
    local message
    # The platform's reason, without control or bidi characters and cut short: it is printed to a terminal.
    message="$(node -e 'try { const b = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); console.log(String(typeof b.error === "string" ? b.error : b.error?.message ?? "").replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, "").slice(0, 300)) } catch { console.log("") }' "$out" 2>/dev/null || true)"
    fail "the platform refused (HTTP $code): ${message:-no reason given}; nothing was changed"
  fi
}
json() { node -e 'const v = process.argv[2].split(".").reduce((o, k) => o?.[k], JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))); if (v === undefined || v === null) process.exit(1); console.log(typeof v === "object" ? JSON.stringify(v) : v)' "$@"; }
# npm failed: say its own error lines (not the stack frames under them), what they most likely mean and what
# to do, and keep the whole log where the person can read it (the staging folder goes away).
npm_failed() { # log
  local log="${TMPDIR:-/tmp}/aiclone-install-npm.log" cause hint
  cp "$1" "$log" 2>/dev/null || log="$1"
  cause="$(grep -E '^(npm (error|ERR!)|gyp ERR!)' "$1" |
    grep -vE '(^| )at [^ ]+ \(|ERR! stack +at |ERR! (cwd|node -v|node-gyp -v|not ok|System)|gyp info|A complete log' |
    grep -vE '^(npm (error|ERR!)|gyp ERR!) *$' | head -n 8 || true)"
  [ -n "$cause" ] || cause="$(tail -n 20 "$1")"
  if grep -qE 'ETIMEDOUT|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET' "$1"; then
    hint="npm could not reach its registry: check the network, or npm's proxy and registry settings (npm config get registry)"
  elif grep -qE 'gyp (ERR|info)|node-gyp|prebuild-install' "$1"; then
    hint="a native module had no prebuilt binary for this machine and could not be built from source: install python3, make and a C++ compiler (Debian/Ubuntu: sudo apt-get install -y build-essential python3), or use an official Node.js build, which ships the headers a build needs"
  elif grep -qE 'EACCES|EPERM' "$1"; then
    hint="npm has no permission on a folder it uses (its cache, usually ~/.npm): give that folder back to your user"
  elif grep -qE 'ENOSPC' "$1"; then
    hint="the disk is full"
  else
    hint="see its log"
  fi
  say "$cause"
  fail "npm could not install the runtime: $hint (the whole npm log: $log); nothing was changed"
}
verify() { # file expected-sha256 what
  local actual
  actual="$("${SHA256[@]}" "$1" | awk '{ print $1 }')"
  [ "$actual" = "$2" ] || fail "$3: sha256 $actual does not match the platform's $2 (damaged download); nothing was changed"
}

say "AI clone $CLONE_ID from $PLATFORM"
fetch "$PLATFORM/clones/$CLONE_ID/bundles/$VERSION/manifest" "$STAGE/manifest.json"
# Nothing the platform sends is trusted: every field used below is checked against a strict pattern before
# it reaches a path, a command or the terminal (a version like "../../x" would otherwise name a folder
# outside the install for rm and mv), and both download URLs must be on the platform itself (the token goes
# with them).
manifest_fields="$(AICLONE_VERIFY_KEY="$PLATFORM_KEY" node - "$STAGE/manifest.json" "$PLATFORM" "$CLONE_ID" "$VERSION" "$STAGE/packages.tsv" <<'NODE'
const fs = require("fs");
const crypto = require("crypto");
const [file, platform, cloneId, requested, packagesFile] = process.argv.slice(2);
const refuse = (field, what) => {
  console.error(`aiclone install: the manifest's ${field} is not ${what}; nothing was changed`);
  process.exit(1);
};
let m;
try { m = JSON.parse(fs.readFileSync(file, "utf8")); } catch { refuse("text", "JSON"); }
if (m === null || typeof m !== "object" || Array.isArray(m)) refuse("text", "a JSON object");
const runtime = m.runtime !== null && typeof m.runtime === "object" ? m.runtime : {};
const text = (v, re) => (typeof v === "string" || typeof v === "number") && re.test(String(v));
const SHA256 = /^[0-9a-f]{64}$/;
const onPlatform = (v) => typeof v === "string" && v.startsWith(`${platform}/`) &&
  /^(\/[A-Za-z0-9_~-][A-Za-z0-9._~-]*)+$/.test(v.slice(platform.length)) &&
  !v.slice(platform.length).split("/").some((s) => s === "." || s === "..");
if (m.cloneId !== cloneId) refuse("cloneId", `this clone's id (${cloneId})`);
if (!text(m.version, /^[1-9][0-9]{0,8}$/)) refuse("version", "a version number");
if (requested !== "latest" && String(m.version) !== requested) refuse("version", `the requested ${requested}`);
if (!text(m.sha256, SHA256)) refuse("sha256", "64 hexadecimal digits");
if (!Number.isSafeInteger(m.size) || m.size < 0) refuse("size", "a byte count");
if (!onPlatform(m.url)) refuse("url", `a download from ${platform}`);
if (!text(runtime.version, /^[A-Za-z0-9][A-Za-z0-9.+_-]{0,63}$/)) refuse("runtime.version", "a version");
if (!text(runtime.sha256, SHA256)) refuse("runtime.sha256", "64 hexadecimal digits");
if (!onPlatform(runtime.url)) refuse("runtime.url", `a download from ${platform}`);
// The SDK and the built-in plugins' packages: the ones the bundle enables are installed beside the runtime.
if (!Array.isArray(m.packages)) refuse("packages", "a list");
const packages = m.packages.map((p, i) => {
  if (p === null || typeof p !== "object") refuse(`packages.${i}`, "an object");
  if (!text(p.name, /^@aiclone\/[a-z0-9][a-z0-9-]{0,39}$/)) refuse(`packages.${i}.name`, "an @aiclone/ package name");
  if (p.plugin !== undefined && !text(p.plugin, /^[a-z0-9][a-z0-9-]{0,39}$/)) refuse(`packages.${i}.plugin`, "a plugin name");
  if (!text(p.version, /^[A-Za-z0-9][A-Za-z0-9.+_-]{0,63}$/)) refuse(`packages.${i}.version`, "a version");
  if (!text(p.sha256, SHA256)) refuse(`packages.${i}.sha256`, "64 hexadecimal digits");
  if (!onPlatform(p.url)) refuse(`packages.${i}.url`, `a download from ${platform}`);
  return [p.name, p.plugin ?? "-", p.version, p.sha256, p.url].join("\t");
});
// Signed by the platform key of the install command (domain/artifacts/installStatements.ts on the platform).
const key = process.env.AICLONE_VERIFY_KEY;
const publicKey = key ? crypto.createPublicKey({ key: Buffer.from(key, "base64"), format: "der", type: "spki" }) : null;
const signed = (field, statement, signature) => {
  if (!publicKey) return;
  if (!text(signature, /^[A-Za-z0-9+/]{86}==$/)) refuse(field, "an Ed25519 signature");
  if (!crypto.verify(null, Buffer.from(statement, "utf8"), publicKey, Buffer.from(signature, "base64"))) {
    console.error(`aiclone install: the manifest's ${field} does not verify with the platform key of your install command: what would be installed was changed on the way or on the server; nothing was changed`);
    process.exit(1);
  }
};
signed("signature", `aiclone-bundle-v1\n${cloneId}\n${m.version}\n${m.sha256}\n${m.size}\n`, m.signature);
signed("runtime.signature", `aiclone-package-v1\naiclone-runtime\n${runtime.version}\n${runtime.sha256}\n`, runtime.signature);
m.packages.forEach((p, i) =>
  signed(`packages.${i}.signature`, `aiclone-package-v1\n${p.name}\n${p.version}\n${p.sha256}\n`, p.signature),
);
fs.writeFileSync(packagesFile, packages.map((line) => `${line}\n`).join(""));
console.log([m.version, m.sha256, m.size, m.url, runtime.version, runtime.sha256, runtime.url].join("\n"));
NODE
)" || exit 1
{ read -r NEW_VERSION; read -r BUNDLE_SHA; read -r BUNDLE_SIZE; read -r BUNDLE_URL
  read -r RUNTIME_VERSION; read -r RUNTIME_SHA; read -r RUNTIME_URL; } <<< "$manifest_fields"
# The same checks once more where it matters most, in bash itself: the version becomes a folder name.
[[ "$NEW_VERSION" =~ ^[1-9][0-9]{0,8}$ ]] || fail "the manifest's version is not a version number; nothing was changed"
[[ "$BUNDLE_SHA" =~ ^[0-9a-f]{64}$ && "$RUNTIME_SHA" =~ ^[0-9a-f]{64}$ ]] || fail "the manifest's sha256 is not 64 hexadecimal digits; nothing was changed"
CURRENT_VERSION="$(cat "$DIR/current" 2>/dev/null || true)"

# --- the bundle ---------------------------------------------------------------------------------------------
if [ "$CURRENT_VERSION" = "$NEW_VERSION" ] && [ -f "$DIR/bundles/$NEW_VERSION/clone.json" ]; then
  say "version $NEW_VERSION is already installed"
else
  say "downloading version $NEW_VERSION ($BUNDLE_SIZE bytes)"
  fetch "$BUNDLE_URL" "$STAGE/bundle.tar.gz"
  verify "$STAGE/bundle.tar.gz" "$BUNDLE_SHA" "the bundle"
  # A bundle holds files and folders only: no links (they could point anywhere), no devices.
  listing="$(tar -tvzf "$STAGE/bundle.tar.gz")" || fail "the bundle is not a tar.gz archive; nothing was changed"
  if printf '%s\n' "$listing" | cut -c1 | grep -q '[^-d]'; then
    fail "the bundle holds links or special files; nothing was changed"
  fi
  mkdir -p "$STAGE/bundle"
  tar -xzf "$STAGE/bundle.tar.gz" -C "$STAGE/bundle" --no-same-owner
  [ -f "$STAGE/bundle/clone.json" ] || fail "the bundle has no clone.json; nothing was changed"
fi

# --- the runtime and the plugins the bundle enables (npm packages from the platform, their dependencies from
# the npm registry) ---------------------------------------------------------------------------------------------
BUNDLE_DIR="$STAGE/bundle"
[ -f "$BUNDLE_DIR/clone.json" ] || BUNDLE_DIR="$DIR/bundles/$NEW_VERSION"
# The SDK always; a built-in plugin's package when clone.json enables that plugin (no "path", no "package");
# onnxruntime (through @huggingface/transformers, ~450 MB) only when clone.json asks for transformers embeddings.
node - "$BUNDLE_DIR/clone.json" "$STAGE/packages.tsv" "$STAGE/extras" > "$STAGE/wanted.tsv" <<'NODE' || exit 1
const fs = require("fs");
const [cloneJson, packagesFile, extrasFile] = process.argv.slice(2);
const clone = JSON.parse(fs.readFileSync(cloneJson, "utf8"));
const plugins = clone.plugins ?? [];
fs.writeFileSync(extrasFile, clone.embeddings?.kind === "transformers" ? "transformers\n" : "");
const builtins = new Set(
  plugins.filter((p) => p && p.enabled !== false && p.path === undefined && p.package === undefined).map((p) => p.name),
);
const rows = fs.readFileSync(packagesFile, "utf8").split("\n").filter(Boolean).map((line) => line.split("\t"));
for (const name of builtins)
  if (!rows.some((row) => row[1] === name)) {
    console.error(`aiclone install: the bundle enables the plugin '${name}', which the platform does not serve; nothing was changed`);
    process.exit(1);
  }
// Each kept package with the file it is saved as, named from its validated name (`@aiclone/x` → aiclone-x.tgz).
for (const row of rows)
  if (row[1] === "-" || builtins.has(row[1])) console.log([...row, `${row[0].slice(1).replace("/", "-")}.tgz`].join("\t"));
NODE
PACKAGES_ID="$(cut -f4 "$STAGE/wanted.tsv" | cat <(echo "$RUNTIME_SHA") - "$STAGE/extras" | "${SHA256[@]}" | awk '{ print $1 }')"
if [ "$(cat "$DIR/runtime/.package-sha256" 2>/dev/null || true)" = "$PACKAGES_ID" ]; then
  say "runtime $RUNTIME_VERSION and its plugins are already installed"
else
  say "installing the runtime $RUNTIME_VERSION and $(cut -f1 "$STAGE/wanted.tsv" | paste -sd, - | sed 's/,/, /g') (npm)"
  mkdir -p "$STAGE/runtime"
  fetch "$RUNTIME_URL" "$STAGE/runtime/aiclone-runtime.tgz"
  verify "$STAGE/runtime/aiclone-runtime.tgz" "$RUNTIME_SHA" "the runtime package"
  while IFS=$'\t' read -r name _plugin version sha url file; do
    fetch "$url" "$STAGE/runtime/$file"
    verify "$STAGE/runtime/$file" "$sha" "the package $name $version"
  done < "$STAGE/wanted.tsv"
  gpu=0
  if [ -z "${AICLONE_NO_GPU:-}" ] && command -v nvidia-smi >/dev/null 2>&1 && nvidia-smi -L >/dev/null 2>&1; then gpu=1; fi
  # Optional dependencies are left out (they hold every platform's and every GPU's binaries); the ones this
  # machine runs are named explicitly, GPU ones only when a GPU is there.
  tar -xzOf "$STAGE/runtime/aiclone-runtime.tgz" package/package.json > "$STAGE/runtime-package.json"
  GPU="$gpu" node - "$STAGE/runtime-package.json" "$STAGE/runtime/package.json" "$STAGE/wanted.tsv" "$STAGE/extras" <<'NODE'
const fs = require("fs");
const [source, target, wanted, extrasFile] = process.argv.slice(2);
const pkg = JSON.parse(fs.readFileSync(source, "utf8"));
let libc = "";
try { libc = process.report.getReport().header.glibcVersionRuntime ? "" : "-musl"; } catch {}
if (process.platform !== "linux") libc = "";
const key = `${process.platform}-${process.arch}${libc}`;
const native = pkg.aiclone?.native?.[key];
if (!native) { console.error(`aiclone install: no runtime binaries for ${key}`); process.exit(1); }
const dependencies = { "aiclone-runtime": "file:./aiclone-runtime.tgz" };
for (const row of fs.readFileSync(wanted, "utf8").split("\n").filter(Boolean).map((l) => l.split("\t")))
  dependencies[row[0]] = `file:./${row[5]}`;
const transformers = fs.readFileSync(extrasFile, "utf8").includes("transformers");
if (transformers)
  dependencies["@huggingface/transformers"] = pkg.optionalDependencies["@huggingface/transformers"];
const onDemand = transformers ? (native.transformers ?? []) : [];
for (const spec of [...native.cpu, ...(process.env.GPU === "1" ? native.gpu : []), ...onDemand]) {
  const at = spec.lastIndexOf("@");
  dependencies[spec.slice(0, at)] = spec.slice(at + 1);
}
// The runtime and the plugins depend on the SDK by version: the one from the platform serves them all.
const overrides = { "@aiclone/plugin-sdk": "$@aiclone/plugin-sdk" };
fs.writeFileSync(target, JSON.stringify({ private: true, dependencies, overrides }, null, 2));
NODE
  # A native module without a prebuilt binary for this machine is built from source: with the headers this
  # Node ships (official builds and distribution packages do), npm needs no download from nodejs.org.
  node_prefix="$(node -p 'require("path").resolve(process.execPath, "..", "..")')"
  if [ -z "${npm_config_nodedir:-}" ] && [ -f "$node_prefix/include/node/common.gypi" ]; then
    export npm_config_nodedir="$node_prefix"
  fi
  if ! (cd "$STAGE/runtime" && ONNXRUNTIME_NODE_INSTALL=skip NODE_LLAMA_CPP_SKIP_DOWNLOAD=true \
      npm install --omit=optional --no-audit --no-fund --loglevel=error > "$STAGE/npm.log" 2>&1); then
    npm_failed "$STAGE/npm.log"
  fi
  printf '%s\n' "$PACKAGES_ID" > "$STAGE/runtime/.package-sha256"
fi

# --- settings kept across upgrades ----------------------------------------------------------------------------
if [ -z "$PORT" ]; then
  PORT="$(json "$DIR/settings.json" port 2>/dev/null || echo 3000)"
  # It goes into start.sh and settings.json: a number 1-65535 and nothing else.
  [[ "$PORT" =~ ^[1-9][0-9]{0,4}$ && "$PORT" -le 65535 ]] ||
    fail "$DIR/settings.json: port ${PORT//[^[:alnum:] ._-]/?} is not a port (1-65535); fix it or pass --port; nothing was changed"
fi
if [ -z "$THREADS" ] && [ -f "$DIR/settings.json" ]; then
  THREADS="$(json "$DIR/settings.json" threads 2>/dev/null || true)"
  # Kept from an earlier --threads; it goes into start.sh, so a number 1-1024 and nothing else.
  [ -z "$THREADS" ] || [[ "$THREADS" =~ ^[1-9][0-9]{0,3}$ && "$THREADS" -le 1024 ]] ||
    fail "$DIR/settings.json: threads ${THREADS//[^[:alnum:] ._-]/?} is not a thread count (1-1024); fix it or pass --threads; nothing was changed"
fi
if [ -n "$THREADS" ]; then
  printf '{ "port": %s, "threads": %s }\n' "$PORT" "$THREADS" > "$STAGE/settings.json"
  THREADS_ARG=" --threads \"$THREADS\""
else
  printf '{ "port": %s }\n' "$PORT" > "$STAGE/settings.json"
  THREADS_ARG=""
fi
cat > "$STAGE/start.sh" <<START
#!/usr/bin/env bash
# Starts the installed clone in the foreground (install_clone.sh starts it in the background).
dir="\$(cd "\$(dirname "\$0")" && pwd)"
exec node "\$dir/runtime/node_modules/aiclone-runtime/dist/cli/runtimeMain.js" runtime start \\
  --bundle "\$dir/bundles/\$(cat "\$dir/current")" --data-dir "\$dir/data" --port "$PORT"$THREADS_ARG "\$@"
START
chmod +x "$STAGE/start.sh"
# The installed clone's command line (aiclone-runtime, told which install it serves): DIR/aiclone corrections
# export, DIR/aiclone chat --bundle …
cat > "$STAGE/aiclone" <<'AICLONE'
#!/usr/bin/env bash
# This installed clone's command line: ./aiclone corrections export, ./aiclone --help (aiclone-runtime).
dir="$(cd "$(dirname "$0")" && pwd)"
export AICLONE_RUNTIME_INSTALL_DIR="$dir"
exec node "$dir/runtime/node_modules/aiclone-runtime/dist/cli/runtimeMain.js" "$@"
AICLONE
chmod +x "$STAGE/aiclone"

# --- the switch: stop the old one, move the new parts in, start ---------------------------------------------
trap '' INT TERM
if [ -f "$DIR/runtime.pid" ] && kill -0 "$(cat "$DIR/runtime.pid")" 2>/dev/null; then
  say "stopping the running clone"
  kill -TERM "$(cat "$DIR/runtime.pid")" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$(cat "$DIR/runtime.pid")" 2>/dev/null || break; sleep 0.1; done
fi
rm -f "$DIR/runtime.pid"
mkdir -p "$DIR/bundles" "$DIR/data"
if [ -d "$STAGE/bundle" ]; then
  rm -rf "$DIR/bundles/$NEW_VERSION"
  mv "$STAGE/bundle" "$DIR/bundles/$NEW_VERSION"
fi
if [ -d "$STAGE/runtime" ]; then
  rm -rf "$DIR/.runtime.old"
  [ -d "$DIR/runtime" ] && mv "$DIR/runtime" "$DIR/.runtime.old"
  mv "$STAGE/runtime" "$DIR/runtime"
  rm -rf "$DIR/.runtime.old"
fi
mv -f "$STAGE/settings.json" "$DIR/settings.json"
mv -f "$STAGE/start.sh" "$DIR/start.sh"
mv -f "$STAGE/aiclone" "$DIR/aiclone"
printf '%s\n' "$NEW_VERSION" > "$STAGE/current" && mv -f "$STAGE/current" "$DIR/current"
trap - INT TERM
say "installed version $NEW_VERSION in $DIR"

say "corrections you make in Telegram's approve mode: $DIR/aiclone corrections export (a file to upload to the platform)"

if [ "$START" -eq 0 ]; then
  say "start it with: $DIR/start.sh"
  exit 0
fi
nohup "$DIR/start.sh" > "$DIR/runtime.log" 2>&1 < /dev/null &
echo $! > "$DIR/runtime.pid"
say "starting (the first start downloads the base model; log: $DIR/runtime.log)"
for _ in $(seq 1 "${AICLONE_START_TIMEOUT:-1800}"); do
  if curl -fsS -o /dev/null "http://127.0.0.1:$PORT/v1/models" 2>/dev/null; then
    say "your clone is running"
    echo "Chat: http://127.0.0.1:$PORT/"
    exit 0
  fi
  kill -0 "$(cat "$DIR/runtime.pid")" 2>/dev/null || { tail -n 20 "$DIR/runtime.log" >&2; fail "the clone stopped while starting (log above)"; }
  sleep 1
done
fail "the clone did not answer on port $PORT in time; see $DIR/runtime.log"
