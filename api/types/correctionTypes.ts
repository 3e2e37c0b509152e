import { GraphQLDateTimeISO } from "graphql-scalars";
import { Field, ID, InputType, Int, ObjectType } from "type-graphql";
import { Clone } from "./cloneTypes.js";
import { PreviewMessageInput, PreviewRole } from "./previewTypes.js";

@ObjectType({ description: "A turn of the conversation a correction answered." })
export class CorrectionTurn {
  @Field(() => PreviewRole) role!: PreviewRole;
  @Field(() => String) content!: string;
}

@ObjectType({
  description:
    "A clone's reply the owner rewrote into what they would really say: their words enter the next dataset as a sample.",
})
export class Correction {
  @Field(() => ID) id!: string;
  @Field(() => GraphQLDateTimeISO) at!: Date;
  @Field(() => String, { description: 'Where it was corrected: "preview", "telegram", "web", …' })
  channel!: string;
  @Field(() => Int, {
    nullable: true,
    description: "The adapter version that drafted the reply, when known.",
  })
  adapterVersion!: number | null;
  @Field(() => [CorrectionTurn], { description: "The turns before the draft, oldest first." })
  context!: CorrectionTurn[];
  @Field(() => String, { description: "The clone's draft." }) draft!: string;
  @Field(() => String, { description: "What the owner would say instead." }) ownerText!: string;
}

@ObjectType({ description: "A page of a clone's corrections, newest first." })
export class CorrectionPage {
  @Field(() => [Correction]) nodes!: Correction[];
  @Field(() => Int) totalCount!: number;
  @Field(() => Boolean) hasNextPage!: boolean;
}

@InputType({ description: "A preview reply rewritten by the owner." })
export class RecordCorrectionInput {
  @Field(() => ID) cloneId!: string;
  @Field(() => Int, { description: "The adapter version whose preview reply is corrected." })
  adapterVersion!: number;
  @Field(() => [PreviewMessageInput], {
    description: "The conversation before the reply, oldest first, ending with the user's message.",
  })
  context!: PreviewMessageInput[];
  @Field(() => String, { description: "The reply as the clone wrote it." }) draft!: string;
  @Field(() => String, { description: "What the owner would really say." }) ownerText!: string;
}

@ObjectType()
export class RecordCorrectionResult {
  @Field(() => Correction) correction!: Correction;
  @Field(() => Clone) clone!: Clone;
}

@InputType({ description: "An installed clone's corrections file (`aiclone corrections export`), as text." })
export class ImportCorrectionsInput {
  @Field(() => ID) cloneId!: string;
  @Field(() => String, { description: "The file's JSON text; at most api.requestMaxBytes." }) text!: string;
}

@ObjectType()
export class ImportCorrectionsResult {
  @Field(() => Int, { description: "Corrections added." }) imported!: number;
  @Field(() => Int, { description: "Corrections of the file recorded before (an upload is idempotent)." })
  alreadyRecorded!: number;
  @Field(() => Clone) clone!: Clone;
}
