import { normaliseName } from "../samples/nameMatch.js";
import { ParticipantSummary, SourceSummary } from "./sourceSummary.js";

/** The person whose replies become the assistant turns; several ids when exports of several apps are combined. */
export interface DatasetOwner {
  ids: string[];
  name: string;
}

export interface ResolvedOwner extends DatasetOwner {
  matchedBy: "account" | "selector";
}

/** No single owner could be chosen; `candidates` (most active first) are who could be meant. */
export class OwnerResolutionError extends Error {
  override readonly name = "OwnerResolutionError";
  constructor(
    readonly problem: string,
    readonly candidates: readonly ParticipantSummary[],
  ) {
    super(`${problem}\n${formatCandidates(candidates)}`);
  }
}

const listedCandidates = 20;

function formatCandidates(candidates: readonly ParticipantSummary[]): string {
  if (candidates.length === 0) return "No authors were found in the export.";
  const lines = candidates
    .slice(0, listedCandidates)
    .map((c) => `  ${c.id}  ${c.name ?? "(no name)"}  ${c.messages} message${c.messages === 1 ? "" : "s"}`);
  const more =
    candidates.length > listedCandidates ? `\n  … and ${candidates.length - listedCandidates} more` : "";
  return `Candidates (pass one with --owner <id or name>):\n${lines.join("\n")}${more}`;
}

/**
 * Whom to clone. Explicit selectors (`--owner`, repeatable) win: each is an exact author id, else a
 * case-insensitive name. One name may match one author per export format (the same person in a Telegram
 * and a WhatsApp export); two authors of one format with that name are ambiguous. Without selectors the
 * export's account record (Telegram's personal_information) decides.
 */
export function resolveOwner(
  summary: SourceSummary,
  selectors: string | readonly string[] = [],
): ResolvedOwner {
  const list = (typeof selectors === "string" ? [selectors] : [...selectors])
    .map((s) => s.trim())
    .filter(Boolean);
  const participants = summary.participants;
  if (list.length > 0) {
    const matched = new Map<string, ParticipantSummary>();
    for (const selector of list) for (const p of matchSelector(participants, selector)) matched.set(p.id, p);
    const chosen = [...matched.values()];
    return { ids: chosen.map((p) => p.id), name: chosen[0]!.name ?? chosen[0]!.id, matchedBy: "selector" };
  }
  const accounts = summary.accountOwners;
  if (accounts.length === 0)
    throw new OwnerResolutionError("The export does not say whose it is; choose the owner.", participants);
  if (accounts.length > 1) {
    const ids = new Set(accounts.map((a) => a.id));
    throw new OwnerResolutionError(
      `The exports belong to several accounts (${accounts.map((a) => `${a.id} ${a.name ?? ""}`.trim()).join(", ")}); choose the owner.`,
      participants.filter((p) => ids.has(p.id)).concat(participants.filter((p) => !ids.has(p.id))),
    );
  }
  const account = accounts[0]!;
  const known = participants.find((p) => p.id === account.id);
  return { ids: [account.id], name: account.name ?? known?.name ?? account.id, matchedBy: "account" };
}

function matchSelector(participants: readonly ParticipantSummary[], selector: string): ParticipantSummary[] {
  const byId = participants.find((p) => p.id === selector);
  if (byId) return [byId];
  const wanted = normaliseName(selector);
  const byName = participants.filter((p) =>
    [p.name, ...p.names].some((n) => n !== null && normaliseName(n) === wanted),
  );
  if (byName.length === 0)
    throw new OwnerResolutionError(`No author has the id or name "${selector}".`, participants);
  const perFormat = new Map<string, number>();
  for (const p of byName)
    for (const f of p.formats.length > 0 ? p.formats : ["?"]) perFormat.set(f, (perFormat.get(f) ?? 0) + 1);
  if ([...perFormat.values()].some((n) => n > 1))
    throw new OwnerResolutionError(`Several authors are named "${selector}"; pass one of their ids.`, byName);
  return byName;
}
