/**
 * The blind test ("Recognise yourself?") on the API's side: draws a held-out sample from the validation
 * split (val.jsonl) of the dataset an adapter version was trained on, has that version answer the same
 * context through the preview path, and shows the owner the real reply and the clone's in random order.
 * Which one is real is recorded in the clone's stream (BlindTrialDrawn) and told only after the answer.
 */
import { randomInt, randomUUID } from "node:crypto";
import {
  type BlindCandidate,
  type BlindChoice,
  type BlindTestScore,
  blindTestScore,
  type CloneEvent,
  DATASET_FILES,
  datasetFileKey,
  trainingRunStatusOf,
} from "../../domain/index.js";
import type { PreviewMessage } from "../../domain/preview/previewProtocol.js";
import type { BlindTestTallyView, CloneView } from "../../projections/views.js";
import type { AuthPrincipal } from "../auth/authenticator.js";
import { apiError } from "../errors.js";

/** One held-out sample: the conversation before the owner's reply, and that reply. */
export interface BlindSample {
  context: PreviewMessage[];
  real: string;
}

export interface BlindTrial {
  trialId: string;
  cloneId: string;
  adapterVersion: number;
  context: PreviewMessage[];
  /** Candidates "a" and "b" in the order shown; one is the owner's reply, the other the clone's. */
  candidates: { id: BlindCandidate; text: string }[];
}

export interface BlindAnswer {
  trialId: string;
  adapterVersion: number;
  outcome: "real" | "clone" | "cant_tell";
  realCandidate: BlindCandidate;
  /** The adapter version's answers so far, this one included. */
  tally: BlindTestTallyView | undefined;
}

export interface BlindTestServiceDeps {
  requireClone(principal: AuthPrincipal, cloneId: string): Promise<CloneView>;
  /** A dataset file's text, null when it is gone. */
  readArtifactText(key: string): Promise<string | null>;
  /** The adapter version's whole reply through the preview path. */
  generate(
    principal: AuthPrincipal,
    input: { cloneId: string; adapterVersion: number; messages: PreviewMessage[]; seed: number },
  ): Promise<string>;
  /** Records DrawBlindTrial / AnswerBlindTrial (CloneService.blindTrial): the events it appended. */
  record(
    principal: AuthPrincipal,
    command:
      | {
          type: "DrawBlindTrial";
          cloneId: string;
          trialId: string;
          adapterVersion: number;
          sampleIndex: number;
          realCandidate: BlindCandidate;
        }
      | { type: "AnswerBlindTrial"; cloneId: string; trialId: string; choice: BlindChoice },
  ): Promise<{ view: CloneView; events: CloneEvent[] }>;
  /** 0 ≤ n < max; crypto by default (tests pass their own). */
  randomInt?: (max: number) => number;
}

/**
 * The samples of val.jsonl that can be a trial, by line: the last assistant turn is the real reply and
 * must follow a user turn (an opener, with no one to answer, cannot); system messages are left out (the
 * preview adds the clone's own).
 */
export function blindSamples(valJsonl: string): { line: number; sample: BlindSample }[] {
  const out: { line: number; sample: BlindSample }[] = [];
  valJsonl.split("\n").forEach((text, line) => {
    if (!text.trim()) return;
    const messages = (JSON.parse(text) as { messages: { role: string; content: string }[] }).messages;
    const last = messages.findLastIndex((m) => m.role === "assistant");
    const context = messages
      .slice(0, last)
      .filter((m): m is PreviewMessage => m.role === "user" || m.role === "assistant");
    if (last < 0 || context.at(-1)?.role !== "user") return;
    out.push({ line, sample: { context, real: messages[last]?.content ?? "" } });
  });
  return out;
}

/** The score of each adapter version that has answers or trials. */
export const blindTestScoreOf = (
  tally: BlindTestTallyView | undefined,
): BlindTestScore & { drawn: number } => ({
  ...blindTestScore(tally ?? { realPicked: 0, clonePicked: 0, cantTell: 0 }),
  drawn: tally?.drawn ?? 0,
});

export class BlindTestService {
  constructor(private readonly deps: BlindTestServiceDeps) {}

  async draw(principal: AuthPrincipal, cloneId: string, adapterVersion: number): Promise<BlindTrial> {
    const clone = await this.deps.requireClone(principal, cloneId);
    const datasetKey = trainedDataset(clone, adapterVersion);
    const text = await this.deps.readArtifactText(datasetFileKey(datasetKey, DATASET_FILES.val));
    const samples = blindSamples(text ?? "");
    if (samples.length === 0)
      throw apiError(
        "CONFLICT",
        `the validation split of the dataset adapter version ${adapterVersion} was trained on has no sample to test with`,
        { field: "adapterVersion" },
      );
    const random = this.deps.randomInt ?? randomInt;
    const picked = samples[random(samples.length)] as (typeof samples)[number];
    const seed = random(2 ** 31);
    const cloneReply = await this.deps.generate(principal, {
      cloneId,
      adapterVersion,
      messages: picked.sample.context,
      seed,
    });
    const realCandidate: BlindCandidate = random(2) === 0 ? "a" : "b";
    const trialId = randomUUID();
    await this.deps.record(principal, {
      type: "DrawBlindTrial",
      cloneId,
      trialId,
      adapterVersion,
      sampleIndex: picked.line,
      realCandidate,
    });
    const real = picked.sample.real;
    const candidates: BlindTrial["candidates"] =
      realCandidate === "a"
        ? [
            { id: "a", text: real },
            { id: "b", text: cloneReply },
          ]
        : [
            { id: "a", text: cloneReply },
            { id: "b", text: real },
          ];
    return { trialId, cloneId, adapterVersion, context: picked.sample.context, candidates };
  }

  async answer(
    principal: AuthPrincipal,
    input: { cloneId: string; trialId: string; choice: BlindChoice },
  ): Promise<BlindAnswer> {
    const { view, events } = await this.deps.record(principal, { type: "AnswerBlindTrial", ...input });
    const answered = events.find((e) => e.type === "BlindTrialAnswered");
    if (answered?.type !== "BlindTrialAnswered") throw new Error(`trial ${input.trialId} recorded no answer`);
    const { adapterVersion, outcome, realCandidate } = answered.data;
    const tally = view.blindTests?.find((t) => t.adapterVersion === adapterVersion);
    return { trialId: input.trialId, adapterVersion, outcome, realCandidate, tally };
  }
}

/** The dataset folder the completed run of that adapter version trained on, or NOT_FOUND. */
function trainedDataset(clone: CloneView, adapterVersion: number): string {
  const run = clone.trainingRuns.find(
    (r) => trainingRunStatusOf(r.status) === "completed" && r.adapterVersion === adapterVersion,
  );
  if (!run)
    throw apiError("NOT_FOUND", `clone ${clone._id} has no trained adapter version ${adapterVersion}`, {
      field: "adapterVersion",
    });
  const dataset = clone.datasets.find((d) => d.version === run.datasetVersion);
  if (!dataset)
    throw apiError("CONFLICT", `dataset version ${run.datasetVersion} of clone ${clone._id} is gone`);
  return dataset.artifactKey;
}
