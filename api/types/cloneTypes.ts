import { GraphQLDateTimeISO, GraphQLJSONObject } from "graphql-scalars";
import { Field, Float, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import { BlindTestResult } from "./blindTestTypes.js";

export enum CloneStatus {
  CREATED = "CREATED",
  CONFIGURED = "CONFIGURED",
  SOURCES_UPLOADED = "SOURCES_UPLOADED",
  DATASET_BUILDING = "DATASET_BUILDING",
  DATASET_READY = "DATASET_READY",
  DATASET_FAILED = "DATASET_FAILED",
  TRAINING_QUEUED = "TRAINING_QUEUED",
  TRAINING = "TRAINING",
  TRAINED = "TRAINED",
  TRAINING_FAILED = "TRAINING_FAILED",
  TRAINING_CANCELLED = "TRAINING_CANCELLED",
  PUBLISHED = "PUBLISHED",
  DELETED = "DELETED",
}
registerEnumType(CloneStatus, { name: "CloneStatus", description: "Where a clone is in its lifecycle." });

export enum TrainingRunStatus {
  QUEUED = "QUEUED",
  RUNNING = "RUNNING",
  COMPLETED = "COMPLETED",
  FAILED = "FAILED",
  CANCELLED = "CANCELLED",
}
registerEnumType(TrainingRunStatus, {
  name: "TrainingRunStatus",
  description: "A training job's state: QUEUED → RUNNING → COMPLETED, FAILED or CANCELLED.",
});

@ObjectType({ description: "The training loss reported at one optimizer step." })
export class LossPoint {
  @Field(() => Int) step!: number;
  @Field(() => Float) loss!: number;
}

@ObjectType({ description: "How the clone presents itself: name, system prompt and language." })
export class Persona {
  @Field(() => String) displayName!: string;
  @Field(() => String) systemPrompt!: string;
  @Field(() => String, { description: "BCP 47 tag, e.g. ru or en." }) language!: string;
  @Field(() => GraphQLDateTimeISO) updatedAt!: Date;
}

@ObjectType({ description: "A chat found in an uploaded export." })
export class InspectedChat {
  @Field(() => String) id!: string;
  @Field(() => String, { nullable: true }) name!: string | null;
  @Field(() => String, { description: "personal, group, channel, saved, bot or other." }) type!: string;
  @Field(() => Int) messages!: number;
}

@ObjectType({ description: "Someone who wrote in an uploaded export." })
export class InspectedParticipant {
  @Field(() => String) id!: string;
  @Field(() => String, { nullable: true }) name!: string | null;
  @Field(() => Int) messages!: number;
}

@ObjectType({ description: "Inputs of an export skipped for one reason." })
export class SkippedReason {
  @Field({
    description:
      "A reason code (nestedArchive, archiveCompressionRatio, lineTooLong, unknownFormat, …) or, for a reader's free-form reason, its English words.",
  })
  reason!: string;
  @Field(() => Int) count!: number;
  @Field(() => [String], {
    description: "Up to three places, named from the uploaded file (never a server path).",
  })
  where!: string[];
}

@ObjectType({
  description: "What the pipeline found in an uploaded export, to choose the owner and what to leave out.",
})
export class SourceInspection {
  @Field(() => [String], {
    description: "telegram-json, telegram-html, whatsapp-txt, discord-json, vk-html.",
  })
  formats!: string[];
  @Field(() => Int) messages!: number;
  @Field(() => [InspectedChat], { description: "The biggest chats first (at most 500)." })
  chats!: InspectedChat[];
  @Field(() => [InspectedParticipant], { description: "The most active first (at most 500)." })
  participants!: InspectedParticipant[];
  @Field(() => GraphQLDateTimeISO, { nullable: true }) firstMessageAt!: Date | null;
  @Field(() => GraphQLDateTimeISO, { nullable: true }) lastMessageAt!: Date | null;
  @Field(() => InspectedParticipant, {
    nullable: true,
    description: "Who exported it, when the export says so.",
  })
  ownerCandidate!: InspectedParticipant | null;
  @Field(() => Int, { description: "Messages or files the readers could not use." }) skipped!: number;
  @Field(() => [SkippedReason], { description: "Why they were skipped, most frequent first." })
  skippedReasons!: SkippedReason[];
  @Field(() => String, { nullable: true, description: "Why the export could not be read at all." })
  error!: string | null;
}

@ObjectType({ description: "An uploaded chat export, stored as received." })
export class Source {
  @Field(() => ID) id!: string;
  @Field(() => String) fileName!: string;
  @Field(() => Float, { description: "Bytes." }) size!: number;
  @Field(() => String) sha256!: string;
  @Field(() => String, { nullable: true }) contentType!: string | null;
  @Field(() => GraphQLDateTimeISO) uploadedAt!: Date;
  @Field(() => Boolean, { description: "True once the raw archive was deleted." }) purged!: boolean;
  @Field(() => SourceInspection, { nullable: true, description: "Null until the pipeline has looked at it." })
  inspection!: SourceInspection | null;
}

export enum DatasetRequestStatus {
  BUILDING = "BUILDING",
  BUILT = "BUILT",
  FAILED = "FAILED",
}
registerEnumType(DatasetRequestStatus, { name: "DatasetRequestStatus" });

@ObjectType({ description: "The latest dataset build asked for, with its choices." })
export class DatasetRequest {
  @Field(() => ID) id!: string;
  @Field(() => DatasetRequestStatus) status!: DatasetRequestStatus;
  @Field(() => [ID]) sourceIds!: string[];
  @Field(() => String, { nullable: true }) owner!: string | null;
  @Field(() => [String], {
    description: "Every identity of the owner the build used; [owner] or [] for a single one.",
  })
  owners!: string[];
  @Field(() => Boolean, {
    description: "The owner confirmed the identities are theirs though another account made the exports.",
  })
  ownerConfirmed!: boolean;
  @Field(() => [String]) includeChats!: string[];
  @Field(() => [String]) excludeChats!: string[];
  @Field(() => [String]) includeContacts!: string[];
  @Field(() => [String]) excludeContacts!: string[];
  @Field(() => GraphQLJSONObject, {
    description: "sessionGapMinutes, valFraction, pseudonymizeContacts, ocr.",
  })
  options!: Record<string, unknown>;
  @Field(() => GraphQLDateTimeISO) requestedAt!: Date;
  @Field(() => GraphQLDateTimeISO, { nullable: true }) finishedAt!: Date | null;
}

@ObjectType()
export class DatasetStats {
  @Field(() => Int) conversations!: number;
  @Field(() => Int) samples!: number;
  @Field(() => Int) ownerMessages!: number;
  @Field(() => Int) droppedMessages!: number;
  @Field(() => Int, { nullable: true }) trainSamples?: number | null;
  @Field(() => Int, { nullable: true }) validationSamples?: number | null;
  @Field(() => Int, {
    nullable: true,
    description: "The owner's corrections included as samples (null: built before corrections existed).",
  })
  corrections?: number | null;
}

@ObjectType()
export class Dataset {
  @Field(() => Int) version!: number;
  @Field(() => [ID]) sourceIds!: string[];
  @Field(() => GraphQLDateTimeISO) builtAt!: Date;
  @Field(() => DatasetStats) stats!: DatasetStats;
  /** The dataset's folder in the artifact store (stats.json, train.jsonl, val.jsonl); resolvers read it. */
  artifactKey!: string;
}

@ObjectType()
export class TrainingProgress {
  @Field(() => Int) step!: number;
  @Field(() => Int) totalSteps!: number;
  @Field(() => Float) epoch!: number;
  @Field(() => Float, { nullable: true }) loss!: number | null;
  @Field(() => Float, { nullable: true }) learningRate!: number | null;
  @Field(() => Float, { nullable: true }) tokensPerSecond!: number | null;
  @Field(() => Float, { nullable: true }) etaSeconds!: number | null;
  @Field(() => GraphQLDateTimeISO) at!: Date;
}

@ObjectType({
  description:
    "Where a training run comes from: the dataset version and its sources, the owner's corrections it includes, the adapter it continued from, the base model.",
})
export class TrainingLineage {
  @Field(() => Int) datasetVersion!: number;
  @Field(() => [ID], { description: "The uploaded sources that dataset version was built from." })
  sourceIds!: string[];
  @Field(() => Int, {
    description: "The owner's corrections included in the dataset (0 until there are any).",
  })
  correctionsIncluded!: number;
  @Field(() => Int, {
    nullable: true,
    description: "The adapter version the run continued from; null: a fresh LoRA.",
  })
  parentAdapterVersion!: number | null;
  @Field(() => String) baseModel!: string;
}

@ObjectType({ description: "A training job: one run of the trainer for a clone (its id is the run id)." })
export class TrainingRun {
  @Field(() => ID) id!: string;
  @Field(() => ID) cloneId!: string;
  @Field(() => TrainingRunStatus) status!: TrainingRunStatus;
  @Field(() => Int) datasetVersion!: number;
  @Field(() => String) baseModel!: string;
  @Field(() => GraphQLJSONObject) hyperparameters!: Record<string, unknown>;
  @Field(() => String, { nullable: true, description: "local or remote" }) backend!: string | null;
  @Field(() => String, { nullable: true, description: "The worker that runs the job." }) worker!:
    | string
    | null;
  @Field(() => Int, {
    description: "1 on the first worker; higher after it resumed elsewhere from a checkpoint.",
  })
  attempt!: number;
  @Field(() => GraphQLDateTimeISO) requestedAt!: Date;
  @Field(() => GraphQLDateTimeISO, { nullable: true }) startedAt!: Date | null;
  @Field(() => GraphQLDateTimeISO, { nullable: true }) finishedAt!: Date | null;
  @Field(() => TrainingProgress, { nullable: true }) progress!: TrainingProgress | null;
  @Field(() => [LossPoint], { description: "Loss by step, for a chart (thinned past 500 points)." })
  lossHistory!: LossPoint[];
  @Field(() => Int, { nullable: true }) adapterVersion!: number | null;
  @Field(() => GraphQLJSONObject, { nullable: true }) metrics!: Record<string, unknown> | null;
  @Field(() => String, { nullable: true }) error!: string | null;
  @Field(() => TrainingLineage, {
    nullable: true,
    description: "Null for runs requested before lineage was recorded.",
  })
  lineage!: TrainingLineage | null;
  @Field(() => BlindTestResult, {
    nullable: true,
    description: "The blind test of the run's adapter version (null until the run produced one).",
  })
  blindTest!: BlindTestResult | null;
}

@ObjectType({
  description: "A token that downloads one clone's bundles and nothing else (the secret is shown once).",
})
export class InstallToken {
  @Field(() => ID) id!: string;
  @Field(() => String) name!: string;
  @Field(() => String, { description: "The token's first characters, to tell tokens apart." })
  prefix!: string;
  @Field(() => GraphQLDateTimeISO) createdAt!: Date;
  @Field(() => GraphQLDateTimeISO) expiresAt!: Date;
  @Field(() => GraphQLDateTimeISO, { nullable: true }) revokedAt!: Date | null;
  @Field(() => Boolean, { description: "Neither revoked nor expired." }) active!: boolean;
}

@ObjectType()
export class NewInstallToken {
  @Field(() => String, { description: "The secret, shown this once: keep it or create another." })
  token!: string;
  @Field(() => InstallToken) installToken!: InstallToken;
  @Field(() => String, { description: "The exact command that installs the clone with this token." })
  installCommand!: string;
}

@ObjectType()
export class PublishedVersion {
  @Field(() => Int) version!: number;
  @Field(() => Int) adapterVersion!: number;
  @Field(() => GraphQLDateTimeISO) publishedAt!: Date;
  @Field(() => String, { nullable: true }) sha256!: string | null;
  @Field(() => Float, { nullable: true }) size!: number | null;
  @Field(() => Boolean, {
    description:
      "Whether `latest` (the install command) installs this version: the newest, or the one gone back to.",
  })
  current!: boolean;
  @Field(() => String, {
    description:
      "Where the bundle downloads (GET with the owner's API key or an install token as Bearer; Range supported).",
  })
  downloadUrl!: string;
  /** Relative to the platform's public URL; the field resolver makes downloadUrl of it. */
  downloadPath!: string;
}

@ObjectType()
export class DatasetError {
  @Field(() => String) reason!: string;
  @Field(() => GraphQLDateTimeISO) at!: Date;
}

@ObjectType({
  description:
    "The owner's corrections of a clone: all recorded, and those the next dataset adds (recorded since the newest dataset was built).",
})
export class CorrectionsCount {
  @Field(() => Int) total!: number;
  @Field(() => Int, {
    description: "Corrections not in the newest built dataset: the next dataset build includes them.",
  })
  notInDataset!: number;
}

@ObjectType({ description: "A clone: a person's writing style learned from their chats." })
export class Clone {
  @Field(() => ID) id!: string;
  @Field(() => String) name!: string;
  @Field(() => CloneStatus) status!: CloneStatus;
  @Field(() => Int, { description: "Revision of the clone's event stream this view reflects." })
  revision!: number;
  @Field(() => GraphQLDateTimeISO) createdAt!: Date;
  @Field(() => GraphQLDateTimeISO) updatedAt!: Date;
  @Field(() => Persona, { nullable: true }) persona!: Persona | null;
  @Field(() => [Source]) sources!: Source[];
  @Field(() => [Dataset]) datasets!: Dataset[];
  @Field(() => Dataset, { nullable: true, description: "The newest built dataset." })
  dataset!: Dataset | null;
  @Field(() => DatasetError, { nullable: true }) datasetError!: DatasetError | null;
  @Field(() => DatasetRequest, { nullable: true }) datasetRequest!: DatasetRequest | null;
  @Field(() => [TrainingRun]) trainingRuns!: TrainingRun[];
  @Field(() => [PublishedVersion]) publishedVersions!: PublishedVersion[];
  @Field(() => Int, {
    nullable: true,
    description:
      "The bundle version `latest` installs: the newest published unless the owner went back to an earlier one (selectPublishedVersion); null before the first publish.",
  })
  currentPublishedVersion!: number | null;
  @Field(() => [InstallToken]) installTokens!: InstallToken[];
  @Field(() => String, {
    nullable: true,
    description:
      "The command that installs the current published version (`latest`), with <INSTALL_TOKEN> where a token from createInstallToken goes; null before the first publish.",
  })
  installCommand!: string | null;
  @Field(() => CorrectionsCount, { description: "The owner's corrections (the list: Query.corrections)." })
  corrections!: CorrectionsCount;
}

@ObjectType()
export class CloneEdge {
  @Field(() => String) cursor!: string;
  @Field(() => Clone) node!: Clone;
}

@ObjectType()
export class PageInfo {
  @Field(() => Boolean) hasNextPage!: boolean;
  @Field(() => String, { nullable: true }) endCursor!: string | null;
}

@ObjectType()
export class CloneConnection {
  @Field(() => [CloneEdge]) edges!: CloneEdge[];
  @Field(() => [Clone]) nodes!: Clone[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
  @Field(() => Int) totalCount!: number;
}

@ObjectType({ description: "One entry of a clone's timeline: an event of its stream." })
export class CloneEvent {
  @Field(() => ID) id!: string;
  @Field(() => String, { description: "The event name, e.g. CloneCreated." }) type!: string;
  @Field(() => Int, { description: "0-based revision in the clone's stream." }) revision!: number;
  @Field(() => ID) cloneId!: string;
  @Field(() => GraphQLDateTimeISO) timestamp!: Date;
  @Field(() => String, { description: "Who acted: owner:<id>/key:<id> or system:<worker>." })
  principal!: string;
  @Field(() => GraphQLJSONObject) data!: Record<string, unknown>;
}

export enum BaseModelUntrainableReason {
  NEEDS_GPU = "NEEDS_GPU",
  NOT_ENOUGH_MEMORY = "NOT_ENOUGH_MEMORY",
}
registerEnumType(BaseModelUntrainableReason, {
  name: "BaseModelUntrainableReason",
  description: "Why the platform's trainer cannot train a base model.",
  valuesConfig: {
    NEEDS_GPU: { description: "Too large for training on the CPU, and the trainer's machine has no GPU." },
    NOT_ENOUGH_MEMORY: {
      description: "A run would not fit the memory of the trainer's GPU (or, without one, its RAM).",
    },
  },
});

@ObjectType({ description: "A base model training accepts (the registry)." })
export class BaseModel {
  @Field(() => String) name!: string;
  @Field(() => String) description!: string;
  @Field(() => Boolean, {
    description:
      "Its weights are where the platform's local trainer runs; otherwise a remote GPU worker must have them.",
  })
  availableLocally!: boolean;
  @Field(() => Boolean, { description: "Random weights, for tests: it trains and runs but talks gibberish." })
  testOnly!: boolean;
  @Field(() => Boolean, { description: "What requestTraining uses when no base model is given." })
  isDefault!: boolean;
  @Field(() => [String], {
    description:
      'ISO 639-1 codes of the languages the model serves (its model card), e.g. ["en"]; empty for a test model.',
  })
  languages!: string[];
  @Field(() => Boolean, {
    description:
      "The registry pins a sha256 computed from the file itself. Unverified models are published to runtimes only with a checksum from the configuration.",
  })
  checksumVerified!: boolean;
  @Field(() => Float, { nullable: true, description: "Parameter count (its model card); null when unknown." })
  parameters!: number | null;
  @Field(() => Boolean, {
    description:
      "The platform's trainer can train it: on its CPU only small models, on its GPU what fits the GPU's memory; remote GPU workers are not judged here.",
  })
  trainableHere!: boolean;
  @Field(() => BaseModelUntrainableReason, { nullable: true, description: "Why it cannot be trained here." })
  untrainableReason!: BaseModelUntrainableReason | null;
  @Field(() => Float, {
    nullable: true,
    description:
      "Memory a training run of it needs on the trainer's device (GPU memory with a GPU), in bytes.",
  })
  requiredMemoryBytes!: number | null;
}

@ObjectType({ description: "Which of the owner's languages one base model does not serve." })
export class BaseModelLanguageFit {
  @Field(() => String) name!: string;
  @Field(() => [String], {
    description:
      "Of the owner's languages, those the model does not serve; empty when it serves them all or nothing can be told (a test model).",
  })
  unservedLanguages!: string[];
}

@ObjectType({ description: "The owner's languages in a dataset and how each base model fits them." })
export class DatasetLanguageFit {
  @Field(() => [String], {
    description:
      "From the style profile, most used first: the top language and every other with at least 20% of the owner's messages. ru, uk, en or other (one the profile cannot name). Empty when the report is gone.",
  })
  ownerLanguages!: string[];
  @Field(() => [BaseModelLanguageFit]) baseModels!: BaseModelLanguageFit[];
}
