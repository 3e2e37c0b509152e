import { GraphQLJSONObject } from "graphql-scalars";
import { Field, ID, InputType } from "type-graphql";

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
}
