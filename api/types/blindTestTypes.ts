import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { PreviewRole } from "./previewTypes.js";

export enum BlindTestChoice {
  A = "A",
  B = "B",
  CANT_TELL = "CANT_TELL",
}
registerEnumType(BlindTestChoice, {
  name: "BlindTestChoice",
  description:
    "The owner's answer to a blind-test trial: candidate A or B is the one they wrote, or they cannot tell.",
});

export enum BlindTestOutcome {
  REAL = "REAL",
  CLONE = "CLONE",
  CANT_TELL = "CANT_TELL",
}
registerEnumType(BlindTestOutcome, {
  name: "BlindTestOutcome",
  description: "How an answer scored: the owner picked their own reply, the clone's, or could not tell.",
});

@ObjectType({
  description:
    "How often the owner picked their own reply over an adapter version's (can't tell counts half), with a 95 % Wilson interval; 50 % means they could not tell the two apart.",
})
export class BlindTestResult {
  @Field(() => Int, { description: "Answers counted." }) answers!: number;
  @Field(() => Int, { description: "Trials drawn, answered or not." }) drawn!: number;
  @Field(() => Int) pickedReal!: number;
  @Field(() => Int) pickedClone!: number;
  @Field(() => Int) cantTell!: number;
  @Field(() => Float, {
    nullable: true,
    description: "Share that picked the real reply, 0–1 (null: no answers).",
  })
  pickedRealShare!: number | null;
  @Field(() => Float, { nullable: true, description: "Lower bound of the 95 % Wilson interval." })
  low!: number | null;
  @Field(() => Float, { nullable: true, description: "Upper bound of the 95 % Wilson interval." })
  high!: number | null;
}

@ObjectType({ description: "A message of a blind-test trial's context." })
export class BlindTestMessage {
  @Field(() => PreviewRole) role!: PreviewRole;
  @Field(() => String) content!: string;
}

@ObjectType({ description: "One candidate reply; which one the owner wrote is told only after the answer." })
export class BlindTestCandidate {
  @Field(() => BlindTestChoice, { description: "A or B." }) id!: BlindTestChoice;
  @Field(() => String) text!: string;
}

@ObjectType({
  description:
    "A held-out message of the validation split the adapter version was trained on: its context, and the owner's real reply and the clone's in random order.",
})
export class BlindTestTrial {
  @Field(() => ID) id!: string;
  @Field(() => ID) cloneId!: string;
  @Field(() => Int) adapterVersion!: number;
  @Field(() => [BlindTestMessage], { description: "The conversation before the reply, oldest first." })
  context!: BlindTestMessage[];
  @Field(() => [BlindTestCandidate]) candidates!: BlindTestCandidate[];
}

@InputType()
export class DrawBlindTestTrialInput {
  @Field(() => ID) cloneId!: string;
  @Field(() => Int, { description: "A completed training run's adapter version." }) adapterVersion!: number;
}

@InputType()
export class AnswerBlindTestTrialInput {
  @Field(() => ID) cloneId!: string;
  @Field(() => ID) trialId!: string;
  @Field(() => BlindTestChoice) choice!: BlindTestChoice;
}

@ObjectType({
  description: "An answered trial: how it scored, which candidate was real, the version's result.",
})
export class BlindTestAnswer {
  @Field(() => ID) trialId!: string;
  @Field(() => Int) adapterVersion!: number;
  @Field(() => BlindTestOutcome) outcome!: BlindTestOutcome;
  @Field(() => BlindTestChoice, { description: "The candidate the owner wrote." })
  realCandidate!: BlindTestChoice;
  @Field(() => BlindTestResult) result!: BlindTestResult;
}
