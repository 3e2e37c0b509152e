import { GraphQLDateTimeISO } from "graphql-scalars";
import { Field, ID, ObjectType } from "type-graphql";

@ObjectType({ description: "An API key; its secret is shown only once, when created." })
export class ApiKey {
  @Field(() => ID) id!: string;
  @Field(() => String) name!: string;
  @Field(() => String, { description: "The first characters of the key, to tell keys apart." })
  prefix!: string;
  @Field(() => GraphQLDateTimeISO) createdAt!: Date;
  @Field(() => GraphQLDateTimeISO, { nullable: true }) revokedAt!: Date | null;
}

@ObjectType()
export class Me {
  @Field(() => ID) id!: string;
  @Field(() => String) name!: string;
  @Field(() => GraphQLDateTimeISO) createdAt!: Date;
  @Field(() => ID, { description: "The key this request authenticated with." }) keyId!: string;
  @Field(() => [ApiKey]) apiKeys!: ApiKey[];
}

@ObjectType()
export class CreatedApiKey {
  @Field(() => ApiKey) apiKey!: ApiKey;
  @Field(() => String, { description: "The bearer token. Store it now: it is never shown again." })
  secret!: string;
}
