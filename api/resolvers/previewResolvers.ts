import { Arg, Ctx, ID, Mutation, Resolver, Root, Subscription } from "type-graphql";
import type { PreviewPiece } from "../../domain/preview/previewProtocol.js";
import { type ApiContext, requirePrincipal } from "../context.js";
import {
  PreviewFinishReason,
  PreviewReply,
  PreviewReplyPiece,
  PreviewRole,
  StartPreviewReplyInput,
} from "../types/previewTypes.js";

interface SubscribeData {
  args: { replyId?: unknown };
  context: ApiContext;
}

const finishReasons: Record<string, PreviewFinishReason> = {
  stop: PreviewFinishReason.STOP,
  length: PreviewFinishReason.LENGTH,
  abort: PreviewFinishReason.ABORT,
};

export function toPreviewReplyPiece(piece: PreviewPiece): PreviewReplyPiece {
  return {
    replyId: piece.replyId,
    seq: piece.seq,
    text: piece.kind === "text" ? piece.text : "",
    done: piece.kind === "done" || piece.kind === "error",
    finishReason: piece.kind === "done" ? (finishReasons[piece.finishReason] ?? null) : null,
    completionTokens: piece.kind === "done" ? piece.completionTokens : null,
    error: piece.kind === "error" ? piece.message : null,
  };
}

@Resolver()
export class PreviewResolvers {
  @Mutation(() => PreviewReply, {
    description:
      "Starts a reply of a trained adapter version to a conversation (before publishing it); subscribe to " +
      "previewReply with the returned id for its text. Limited per owner (preview.limits).",
  })
  async startPreviewReply(
    @Arg("input", () => StartPreviewReplyInput) input: StartPreviewReplyInput,
    @Ctx() context: ApiContext,
  ): Promise<PreviewReply> {
    const { id } = await context.services.preview.startReply(requirePrincipal(context), {
      cloneId: input.cloneId,
      adapterVersion: input.adapterVersion,
      messages: input.messages.map((m) => ({
        role: m.role === PreviewRole.USER ? "user" : "assistant",
        content: m.content,
      })),
      seed: input.seed ?? null,
    });
    return { id, cloneId: input.cloneId, adapterVersion: input.adapterVersion };
  }

  @Subscription(() => PreviewReplyPiece, {
    subscribe: ({ args, context }: SubscribeData) =>
      context.services.preview.listen(requirePrincipal(context), String(args.replyId)),
    description: "The pieces of a preview reply as they are generated; ends after the piece with done.",
  })
  previewReply(@Arg("replyId", () => ID) _replyId: string, @Root() piece: PreviewPiece): PreviewReplyPiece {
    return toPreviewReplyPiece(piece);
  }
}
