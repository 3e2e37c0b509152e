import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from "type-graphql";
import type { CorrectionView } from "../../projections/views.js";
import { type ApiContext, requirePrincipal } from "../context.js";
import {
  Correction,
  CorrectionPage,
  ImportCorrectionsInput,
  ImportCorrectionsResult,
  RecordCorrectionInput,
  RecordCorrectionResult,
} from "../types/correctionTypes.js";
import { toClone } from "../types/mappers.js";
import { PreviewRole } from "../types/previewTypes.js";

const roleOf = { [PreviewRole.USER]: "user", [PreviewRole.ASSISTANT]: "assistant" } as const;

export const toCorrection = (c: CorrectionView): Correction => ({
  id: c.correctionId,
  at: new Date(c.at),
  channel: c.channel,
  adapterVersion: c.adapterVersion,
  context: c.context.map((t) => ({
    role: t.role === "user" ? PreviewRole.USER : PreviewRole.ASSISTANT,
    content: t.content,
  })),
  draft: c.draft,
  ownerText: c.ownerText,
});

@Resolver()
export class CorrectionResolvers {
  @Query(() => CorrectionPage, { description: "The clone's corrections, newest first." })
  async corrections(
    @Arg("cloneId", () => ID) cloneId: string,
    @Arg("first", () => Int, { defaultValue: 20, description: "At most 100." }) first: number,
    @Arg("offset", () => Int, { defaultValue: 0 }) offset: number,
    @Ctx() context: ApiContext,
  ): Promise<CorrectionPage> {
    const page = await context.services.corrections.list(requirePrincipal(context), cloneId, first, offset);
    return { ...page, nodes: page.nodes.map(toCorrection) };
  }

  @Mutation(() => RecordCorrectionResult, {
    description:
      "Records the owner's rewrite of a preview reply: their words enter the next dataset as a sample (and, with the draft, as a preference pair).",
  })
  async recordCorrection(
    @Arg("input", () => RecordCorrectionInput) input: RecordCorrectionInput,
    @Ctx() context: ApiContext,
  ): Promise<RecordCorrectionResult> {
    const { correction, view } = await context.services.corrections.record(requirePrincipal(context), {
      cloneId: input.cloneId,
      adapterVersion: input.adapterVersion,
      context: input.context.map((m) => ({ role: roleOf[m.role], content: m.content })),
      draft: input.draft,
      ownerText: input.ownerText,
    });
    return { correction: toCorrection(correction), clone: toClone(view) };
  }

  @Mutation(() => ImportCorrectionsResult, {
    description:
      "Imports an installed clone's corrections file (`aiclone corrections export`); corrections recorded before are skipped.",
  })
  async importCorrections(
    @Arg("input", () => ImportCorrectionsInput) input: ImportCorrectionsInput,
    @Ctx() context: ApiContext,
  ): Promise<ImportCorrectionsResult> {
    const result = await context.services.corrections.importFile(requirePrincipal(context), input);
    return {
      imported: result.imported,
      alreadyRecorded: result.alreadyRecorded,
      clone: toClone(result.view),
    };
  }
}
