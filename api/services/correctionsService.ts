/**
 * The owner's corrections on the API's side (docs/corrections.md): a preview reply rewritten into what the
 * owner would say, or an installed clone's corrections file uploaded as text. The words are recorded in the
 * clone's stream (CorrectionRecorded, sealed under the clone's key) and listed from the corrections read
 * model, newest first.
 */
import { type CloneCommand, type CloneEvent, type CorrectionInput, newId } from "../../domain/index.js";
import type { Collection } from "../../infra/docstore/documentStore.js";
import type { CloneView, CorrectionView } from "../../projections/views.js";
import type { AuthPrincipal } from "../auth/authenticator.js";
import { apiError } from "../errors.js";

/** A corrections file as the runtime's format reads it (`aiclone-runtime/corrections`, given by cli/). */
export interface ParsedCorrectionsFile {
  clone: { id: string | null; adapterVersion: number | null };
  corrections: {
    id: string;
    at: string;
    channel: string;
    context: { role: "user" | "assistant"; content: string }[];
    draft: string;
    ownerText: string;
  }[];
}

type WithoutActor<T> = T extends unknown ? Omit<T, "actor"> : never;
/** The commands CorrectionsService records, without the actor (CloneService adds the caller's). */
export type CorrectionCommand = WithoutActor<
  Extract<CloneCommand, { type: "RecordCorrection" | "ImportCorrections" }>
>;

export interface CorrectionsServiceDeps {
  requireClone(principal: AuthPrincipal, cloneId: string): Promise<CloneView>;
  /** Records RecordCorrection / ImportCorrections (CloneService.recordCorrections). */
  record(
    principal: AuthPrincipal,
    command: CorrectionCommand,
  ): Promise<{ view: CloneView; events: CloneEvent[] }>;
  corrections: Pick<Collection<CorrectionView>, "get" | "find" | "count">;
  /** Parses a corrections file; throws an Error whose message names the problem. */
  parseFile(text: string): ParsedCorrectionsFile;
  /** The largest file text accepted, in UTF-8 bytes. */
  fileMaxBytes: number;
  now?: () => Date;
}

export interface CorrectionPage {
  nodes: CorrectionView[];
  totalCount: number;
  hasNextPage: boolean;
}

export const CORRECTIONS_PAGE_MAX = 100;

export class CorrectionsService {
  constructor(private readonly deps: CorrectionsServiceDeps) {}

  /** A preview reply of `adapterVersion`, rewritten by the owner: recorded with channel "preview". */
  async record(
    principal: AuthPrincipal,
    input: {
      cloneId: string;
      adapterVersion: number;
      context: CorrectionInput["context"];
      draft: string;
      ownerText: string;
    },
  ): Promise<{ correction: CorrectionView; view: CloneView }> {
    await this.deps.requireClone(principal, input.cloneId);
    const correction: CorrectionInput = {
      correctionId: newId(),
      at: (this.deps.now?.() ?? new Date()).toISOString(),
      channel: "preview",
      adapterVersion: input.adapterVersion,
      context: input.context,
      draft: input.draft,
      ownerText: input.ownerText,
    };
    const { view } = await this.deps.record(principal, {
      type: "RecordCorrection",
      cloneId: input.cloneId,
      correction,
    });
    const stored = await this.deps.corrections.get(`${input.cloneId}/${correction.correctionId}`);
    if (!stored) throw new Error(`correction ${correction.correctionId} is missing from the read model`);
    return { correction: stored, view };
  }

  /** An uploaded corrections file: the corrections not recorded before are added, the rest skipped. */
  async importFile(
    principal: AuthPrincipal,
    input: { cloneId: string; text: string },
  ): Promise<{ imported: number; alreadyRecorded: number; view: CloneView }> {
    await this.deps.requireClone(principal, input.cloneId);
    const bytes = Buffer.byteLength(input.text, "utf8");
    if (bytes > this.deps.fileMaxBytes)
      throw apiError(
        "BAD_USER_INPUT",
        `text: the corrections file is ${bytes} bytes, more than the limit of ${this.deps.fileMaxBytes}`,
        { field: "text" },
      );
    let file: ParsedCorrectionsFile;
    try {
      file = this.deps.parseFile(input.text);
    } catch (error) {
      throw apiError("BAD_USER_INPUT", `text: ${(error as Error).message}`, { field: "text" });
    }
    if (file.clone.id !== null && file.clone.id !== input.cloneId)
      throw apiError("BAD_USER_INPUT", "text: the corrections file was exported by another clone", {
        field: "text",
      });
    const { view, events } = await this.deps.record(principal, {
      type: "ImportCorrections",
      cloneId: input.cloneId,
      corrections: file.corrections.map((c) => ({
        correctionId: c.id,
        at: c.at,
        channel: c.channel,
        adapterVersion: file.clone.adapterVersion,
        context: c.context,
        draft: c.draft,
        ownerText: c.ownerText,
      })),
    });
    const imported = events.filter((e) => e.type === "CorrectionRecorded").length;
    return { imported, alreadyRecorded: file.corrections.length - imported, view };
  }

  /** The clone's corrections, newest first. */
  async list(
    principal: AuthPrincipal,
    cloneId: string,
    first: number,
    offset: number,
  ): Promise<CorrectionPage> {
    if (!Number.isInteger(first) || first < 1 || first > CORRECTIONS_PAGE_MAX)
      throw apiError("BAD_USER_INPUT", `first: must be between 1 and ${CORRECTIONS_PAGE_MAX}`, {
        field: "first",
      });
    if (!Number.isInteger(offset) || offset < 0)
      throw apiError("BAD_USER_INPUT", "offset: must be a non-negative integer", { field: "offset" });
    await this.deps.requireClone(principal, cloneId);
    const page = await this.deps.corrections.find(
      { cloneId },
      { sort: { field: "at", direction: "desc" }, skip: offset, limit: first + 1 },
    );
    return {
      nodes: page.slice(0, first),
      totalCount: await this.deps.corrections.count({ cloneId }),
      hasNextPage: page.length > first,
    };
  }
}
