import { Field, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";

export enum PreviewRole {
  USER = "USER",
  ASSISTANT = "ASSISTANT",
}
registerEnumType(PreviewRole, {
  name: "PreviewRole",
  description:
    "Who wrote a message of a preview conversation: the person talking to the clone, or the clone.",
});

export enum PreviewFinishReason {
  STOP = "STOP",
  LENGTH = "LENGTH",
  ABORT = "ABORT",
}
registerEnumType(PreviewFinishReason, {
  name: "PreviewFinishReason",
  description: "Why a reply ended: the clone ended its turn, the token limit, or it was cancelled.",
});

@InputType()
export class PreviewMessageInput {
  @Field(() => PreviewRole) role!: PreviewRole;
  @Field(() => String) content!: string;
}

@InputType({
  description: "A conversation for a trained adapter version to answer, as the installed clone would.",
})
export class StartPreviewReplyInput {
  @Field(() => ID) cloneId!: string;
  @Field(() => Int, { description: "A completed training run's adapter version." }) adapterVersion!: number;
  @Field(() => [PreviewMessageInput], {
    description: "The conversation so far, oldest first, ending with the user's message the clone answers.",
  })
  messages!: PreviewMessageInput[];
  @Field(() => Int, {
    nullable: true,
    description:
      "Sampling seed: the same seed and conversation give the same reply (also from the installed clone).",
  })
  seed?: number | null;
}

@ObjectType({
  description: "A preview reply being generated; its text arrives on the previewReply subscription.",
})
export class PreviewReply {
  @Field(() => ID) id!: string;
  @Field(() => ID) cloneId!: string;
  @Field(() => Int) adapterVersion!: number;
}

@ObjectType({
  description:
    "One piece of a preview reply: the first (empty) once a preview process took it, then text to append, then a last piece with done (and finishReason) or error.",
})
export class PreviewReplyPiece {
  @Field(() => ID) replyId!: string;
  @Field(() => Int, { description: "0, 1, 2, … within the reply." }) seq!: number;
  @Field(() => String, { description: "Text to append to the reply (empty on the last piece)." })
  text!: string;
  @Field(() => Boolean, { description: "The last piece: the reply is complete (or failed)." }) done!: boolean;
  @Field(() => PreviewFinishReason, { nullable: true }) finishReason!: PreviewFinishReason | null;
  @Field(() => Int, { nullable: true, description: "Tokens generated, on the last piece." })
  completionTokens!: number | null;
  @Field(() => String, { nullable: true, description: "Why the reply failed (its last piece)." })
  error!: string | null;
}
