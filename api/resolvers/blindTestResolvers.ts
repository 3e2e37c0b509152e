import { Arg, Ctx, Mutation, Resolver } from "type-graphql";
import { type ApiContext, requirePrincipal } from "../context.js";
import {
  AnswerBlindTestTrialInput,
  BlindTestAnswer,
  BlindTestChoice,
  BlindTestOutcome,
  BlindTestTrial,
  DrawBlindTestTrialInput,
} from "../types/blindTestTypes.js";
import { toBlindTestResult } from "../types/mappers.js";
import { PreviewRole } from "../types/previewTypes.js";

const choiceOf = { A: "a", B: "b", CANT_TELL: "cant_tell" } as const;
const graphqlCandidate = { a: BlindTestChoice.A, b: BlindTestChoice.B } as const;
const graphqlOutcome = {
  real: BlindTestOutcome.REAL,
  clone: BlindTestOutcome.CLONE,
  cant_tell: BlindTestOutcome.CANT_TELL,
} as const;

@Resolver()
export class BlindTestResolvers {
  @Mutation(() => BlindTestTrial, {
    description:
      "Draws a blind-test trial for a trained adapter version: a held-out message of its validation split, the owner's real reply and the clone's (generated through the preview) in random order. Answer it with answerBlindTestTrial.",
  })
  async drawBlindTestTrial(
    @Arg("input", () => DrawBlindTestTrialInput) input: DrawBlindTestTrialInput,
    @Ctx() context: ApiContext,
  ): Promise<BlindTestTrial> {
    const trial = await context.services.blindTest.draw(
      requirePrincipal(context),
      input.cloneId,
      input.adapterVersion,
    );
    return {
      id: trial.trialId,
      cloneId: trial.cloneId,
      adapterVersion: trial.adapterVersion,
      context: trial.context.map((m) => ({
        role: m.role === "user" ? PreviewRole.USER : PreviewRole.ASSISTANT,
        content: m.content,
      })),
      candidates: trial.candidates.map((c) => ({ id: graphqlCandidate[c.id], text: c.text })),
    };
  }

  @Mutation(() => BlindTestAnswer, {
    description:
      "Answers a blind-test trial once: which candidate the owner wrote, or that they cannot tell.",
  })
  async answerBlindTestTrial(
    @Arg("input", () => AnswerBlindTestTrialInput) input: AnswerBlindTestTrialInput,
    @Ctx() context: ApiContext,
  ): Promise<BlindTestAnswer> {
    const answer = await context.services.blindTest.answer(requirePrincipal(context), {
      cloneId: input.cloneId,
      trialId: input.trialId,
      choice: choiceOf[input.choice],
    });
    return {
      trialId: answer.trialId,
      adapterVersion: answer.adapterVersion,
      outcome: graphqlOutcome[answer.outcome],
      realCandidate: graphqlCandidate[answer.realCandidate],
      result: toBlindTestResult(answer.tally),
    };
  }
}
