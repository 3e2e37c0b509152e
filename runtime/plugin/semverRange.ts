/**
 * Does a version satisfy a semver range? Enough of node-semver's grammar for plugin manifests: `^`, `~`,
 * comparators (`>=`, `>`, `<`, `<=`, `=`), x-ranges (`1.x`, `1`, `*`), hyphen ranges, spaces for AND and
 * `||` for OR. Prerelease tags are not supported (the plugin API has none).
 */

type Triple = [number, number, number];
interface Comparator {
  op: "<" | "<=" | ">" | ">=" | "=";
  version: Triple;
}

export class SemverRangeError extends Error {
  override readonly name = "SemverRangeError";
}

const PARTIAL = /^v?(\d+|[xX*])(?:\.(\d+|[xX*]))?(?:\.(\d+|[xX*]))?$/;

/** `1.2` → [1, 2, undefined]; wildcards and absent parts are undefined. */
function parsePartial(text: string, range: string): (number | undefined)[] {
  const match = text.match(PARTIAL);
  if (!match) throw new SemverRangeError(`'${range}' is not a semver range (at '${text}')`);
  const parts = match
    .slice(1, 4)
    .map((part) => (part === undefined || /^[xX*]$/.test(part) ? undefined : Number(part)));
  // `1.x.3` makes no sense: after the first wildcard everything is one.
  const firstWild = parts.indexOf(undefined);
  return firstWild < 0 ? parts : parts.map((part, i) => (i >= firstWild ? undefined : part));
}

export function parseVersion(text: string): Triple {
  const match = text.trim().match(/^v?(\d+)\.(\d+)\.(\d+)$/);
  if (!match) throw new SemverRangeError(`'${text}' is not a version (expected MAJOR.MINOR.PATCH)`);
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}

function compare(a: Triple, b: Triple): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return (a[i] as number) - (b[i] as number);
  return 0;
}

const fill = (parts: (number | undefined)[]): Triple => [parts[0] ?? 0, parts[1] ?? 0, parts[2] ?? 0];

/** The first version above a partial one: `1.2` → 1.3.0, `1` → 2.0.0. */
function bumpPartial(parts: (number | undefined)[]): Triple {
  if (parts[0] === undefined) return [Number.MAX_SAFE_INTEGER, 0, 0];
  if (parts[1] === undefined) return [parts[0] + 1, 0, 0];
  if (parts[2] === undefined) return [parts[0], parts[1] + 1, 0];
  return [parts[0], parts[1], parts[2] + 1];
}

function comparators(token: string, range: string): Comparator[] {
  const match = token.match(/^(\^|~|>=|<=|>|<|=)?(.+)$/);
  const op = match?.[1] ?? "";
  const parts = parsePartial(match?.[2] ?? "", range);
  const [major, minor, patch] = parts;
  const low = fill(parts);
  if (major === undefined) return op === "<" || op === ">" ? [{ op: "<", version: [0, 0, 0] }] : [];
  switch (op) {
    case "^": {
      // The first non-zero part is the one that may not change.
      const high: Triple =
        major > 0 || minor === undefined
          ? [major + 1, 0, 0]
          : minor > 0 || patch === undefined
            ? [0, minor + 1, 0]
            : [0, 0, patch + 1];
      return [
        { op: ">=", version: low },
        { op: "<", version: high },
      ];
    }
    case "~":
      return [
        { op: ">=", version: low },
        { op: "<", version: minor === undefined ? [major + 1, 0, 0] : [major, minor + 1, 0] },
      ];
    case ">=":
      return [{ op: ">=", version: low }];
    case ">":
      return [{ op: ">=", version: bumpPartial(parts) }];
    case "<":
      return [{ op: "<", version: low }];
    case "<=":
      return patch === undefined ? [{ op: "<", version: bumpPartial(parts) }] : [{ op: "<=", version: low }];
    default:
      return patch === undefined
        ? [
            { op: ">=", version: low },
            { op: "<", version: bumpPartial(parts) },
          ]
        : [{ op: "=", version: low }];
  }
}

function test(version: Triple, comparator: Comparator): boolean {
  const c = compare(version, comparator.version);
  switch (comparator.op) {
    case "<":
      return c < 0;
    case "<=":
      return c <= 0;
    case ">":
      return c > 0;
    case ">=":
      return c >= 0;
    default:
      return c === 0;
  }
}

/** Throws SemverRangeError for text that is not a range or version; otherwise true or false. */
export function satisfies(version: string, range: string): boolean {
  const v = parseVersion(version);
  const alternatives = range.split("||").map((alternative) => alternative.trim());
  return alternatives.some((alternative) => {
    const hyphen = alternative.match(/^(\S+)\s+-\s+(\S+)$/);
    const tokens = hyphen
      ? [`>=${hyphen[1]}`, `<=${hyphen[2]}`]
      : alternative
          // `>= 1.0.0` is `>=1.0.0`.
          .replace(/(\^|~|>=|<=|>|<|=)\s+/g, "$1")
          .split(/\s+/)
          .filter(Boolean);
    if (tokens.length === 0) return true;
    return tokens.flatMap((token) => comparators(token, range)).every((comparator) => test(v, comparator));
  });
}
