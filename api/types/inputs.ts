import { GraphQLJSONObject } from "graphql-scalars";
import { Field, Float, ID, InputType, Int } from "type-graphql";

@InputType()
export class CreateCloneInput {
  @Field(() => String, { description: "1–80 characters." }) name!: string;
}

@InputType()
export class ConfigurePersonaInput {
  @Field(() => ID) cloneId!: string;
  @Field(() => String, { description: "How the clone signs itself; 1–80 characters." }) displayName!: string;
  @Field(() => String, { description: "System prompt for the runtime; 1–8000 characters." })
  systemPrompt!: string;
  @Field(() => String, { description: "BCP 47 language tag, e.g. ru or en." }) language!: string;
}

@InputType()
export class RequestTrainingInput {
  @Field(() => ID) cloneId!: string;
  @Field(() => String, {
    nullable: true,
    description: "Base-model registry name; the platform default when omitted.",
  })
  baseModel?: string | null;
  @Field(() => GraphQLJSONObject, {
    nullable: true,
    description: "Overrides of the trainer's defaults, e.g. {rank: 16, epochs: 3}.",
  })
  hyperparameters?: Record<string, unknown> | null;
  @Field(() => Int, {
    nullable: true,
    description:
      "Continue from this adapter version of the clone (its LoRA weights, rank and alpha); its base model is used when baseModel is omitted, and another base model is refused. Omitted: a fresh LoRA.",
  })
  continueFrom?: number | null;
}

@InputType({
  description:
    "What to build a dataset from; lists take chat/contact ids or names as the inspection shows them.",
})
export class BuildDatasetInput {
  @Field(() => ID) cloneId!: string;
  @Field(() => String, {
    nullable: true,
    description:
      "The person being cloned, by name or id; omitted when the export names its account (Telegram).",
  })
  owner?: string | null;
  @Field(() => [String], {
    nullable: true,
    description:
      "Every identity of the person across the exports (a Telegram account, a WhatsApp name, a Discord id), by name or id as the inspection shows them; with `owner`, all are the owner. At most 20.",
  })
  owners?: string[] | null;
  @Field(() => Boolean, {
    nullable: true,
    description:
      "Consent: the owner confirms that the chosen identities are them although the exports were made by another account (the inspection's ownerCandidate). Required in that case, recorded in the event log.",
  })
  ownerConfirmed?: boolean | null;
  @Field(() => [String], { nullable: true, description: "Only these chats (all when empty)." }) includeChats?:
    | string[]
    | null;
  @Field(() => [String], { nullable: true }) excludeChats?: string[] | null;
  @Field(() => [String], {
    nullable: true,
    description: "Only dialogues with these people (all when empty).",
  })
  includeContacts?: string[] | null;
  @Field(() => [String], { nullable: true }) excludeContacts?: string[] | null;
  @Field(() => Int, { nullable: true, description: "Silence that starts a new session; default 360 (6 h)." })
  sessionGapMinutes?: number | null;
  @Field(() => Float, {
    nullable: true,
    description: "Share of sessions held out for evaluation; default 0.1.",
  })
  valFraction?: number | null;
  @Field(() => Boolean, { nullable: true, description: "Replace contacts' names with pseudonyms." })
  pseudonymizeContacts?: boolean | null;
  @Field(() => Boolean, { nullable: true, description: "Read text from images (screenshots) as context." })
  ocr?: boolean | null;
  @Field(() => Float, {
    nullable: true,
    description:
      "The loss weight of the owner's corrections in this dataset, above 0 and at most 10; default: the platform's dataset.correctionWeight (2).",
  })
  correctionWeight?: number | null;
}
