import { conflict, notFound } from "../../errors.js";
import { boundedText } from "../../text.js";
import type { BlindOutcome } from "../events.js";
import { cloneLimits } from "../limits.js";
import { type CommandDeciders, nonNegativeInt, requireAdapter } from "./guards.js";

type BlindTestCommand = "DrawBlindTrial" | "AnswerBlindTrial";

/**
 * The blind test: a trial is drawn for one trained adapter version (the sample and which candidate is real
 * chosen by the service), then answered once by the owner.
 */
export const blindTestDeciders: CommandDeciders<BlindTestCommand> = {
  DrawBlindTrial(command, state) {
    const adapter = requireAdapter(state, "adapterVersion", command.adapterVersion);
    const trialId = boundedText("trialId", command.trialId, { min: 1, max: 100 });
    if (state.blindTrials.some((t) => t.trialId === trialId))
      throw conflict(`trial ${trialId} already exists`);
    nonNegativeInt("sampleIndex", command.sampleIndex);
    const open = state.blindTrials.filter((t) => !t.answered).length;
    if (open >= cloneLimits.openBlindTrialsMax)
      throw conflict(`${open} blind-test trials are still unanswered; answer them before drawing more`);
    return [
      {
        type: "BlindTrialDrawn",
        data: {
          cloneId: command.cloneId,
          trialId,
          adapterVersion: adapter.version,
          ...(adapter.datasetVersion ? { datasetVersion: adapter.datasetVersion } : {}),
          sampleIndex: command.sampleIndex,
          realCandidate: command.realCandidate,
        },
      },
    ];
  },
  AnswerBlindTrial(command, state) {
    const trial = state.blindTrials.find((t) => t.trialId === command.trialId);
    // A trial of another clone is not in this clone's stream: reported as missing.
    if (!trial) throw notFound(`blind-test trial ${command.trialId} does not exist`);
    if (trial.answered) throw conflict(`blind-test trial ${command.trialId} is already answered`);
    const outcome: BlindOutcome =
      command.choice === "cant_tell"
        ? "cant_tell"
        : command.choice === trial.realCandidate
          ? "real"
          : "clone";
    return [
      {
        type: "BlindTrialAnswered",
        data: {
          cloneId: command.cloneId,
          trialId: trial.trialId,
          adapterVersion: trial.adapterVersion,
          choice: command.choice,
          outcome,
          realCandidate: trial.realCandidate,
        },
      },
    ];
  },
};
