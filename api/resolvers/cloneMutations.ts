import GraphQLUpload from "graphql-upload/GraphQLUpload.mjs";
import type { FileUpload } from "graphql-upload/processRequest.mjs";
import { Arg, Ctx, ID, Int, Mutation, Resolver } from "type-graphql";
import type { DatasetRequestSpec } from "../../domain/index.js";
import { type ApiContext, requirePrincipal } from "../context.js";
import { Clone, InstallToken, NewInstallToken, TrainingRun } from "../types/cloneTypes.js";
import {
  BuildDatasetInput,
  ConfigurePersonaInput,
  CreateCloneInput,
  RequestTrainingInput,
} from "../types/inputs.js";
import { installCommand, toClone, toTrainingRun } from "../types/mappers.js";
import { idempotencyKeyOptions } from "./idempotencyKeyArg.js";

@Resolver()
export class CloneMutations {
  @Mutation(() => Clone)
  async createClone(
    @Arg("input", () => CreateCloneInput) input: CreateCloneInput,
    @Arg("idempotencyKey", () => String, idempotencyKeyOptions) idempotencyKey: string | null,
    @Ctx() context: ApiContext,
  ): Promise<Clone> {
    return toClone(
      await context.services.clones.createClone(requirePrincipal(context), input.name, idempotencyKey),
    );
  }

  @Mutation(() => Clone)
  async configurePersona(
    @Arg("input", () => ConfigurePersonaInput) input: ConfigurePersonaInput,
    @Arg("idempotencyKey", () => String, idempotencyKeyOptions) idempotencyKey: string | null,
    @Ctx() context: ApiContext,
  ): Promise<Clone> {
    const { cloneId, displayName, systemPrompt, language } = input;
    const view = await context.services.clones.configurePersona(
      requirePrincipal(context),
      { cloneId, displayName, systemPrompt, language },
      idempotencyKey,
    );
    return toClone(view);
  }

  @Mutation(() => Clone, {
    description: "Gives the clone a new name (1–80 characters); the same name changes nothing.",
  })
  async renameClone(
    @Arg("cloneId", () => ID) cloneId: string,
    @Arg("name", () => String) name: string,
    @Arg("idempotencyKey", () => String, idempotencyKeyOptions) idempotencyKey: string | null,
    @Ctx() context: ApiContext,
  ): Promise<Clone> {
    return toClone(
      await context.services.clones.renameClone(requirePrincipal(context), { cloneId, name }, idempotencyKey),
    );
  }

  @Mutation(() => Clone, {
    description:
      "Stores a chat export (multipart upload, GraphQL multipart request spec) as a source of the clone.",
  })
  async uploadSource(
    @Arg("cloneId", () => ID) cloneId: string,
    @Arg("file", () => GraphQLUpload) file: Promise<FileUpload>,
    @Arg("idempotencyKey", () => String, idempotencyKeyOptions) idempotencyKey: string | null,
    @Ctx() context: ApiContext,
  ): Promise<Clone> {
    const principal = requirePrincipal(context);
    const upload = await file;
    const view = await context.services.clones.uploadSource(
      principal,
      cloneId,
      { filename: upload.filename, mimetype: upload.mimetype, stream: upload.createReadStream() },
      idempotencyKey,
    );
    return toClone(view);
  }

  @Mutation(() => Clone)
  async requestTraining(
    @Arg("input", () => RequestTrainingInput) input: RequestTrainingInput,
    @Arg("idempotencyKey", () => String, idempotencyKeyOptions) idempotencyKey: string | null,
    @Ctx() context: ApiContext,
  ): Promise<Clone> {
    const view = await context.services.clones.requestTraining(
      requirePrincipal(context),
      {
        cloneId: input.cloneId,
        baseModel: input.baseModel ?? null,
        hyperparameters: input.hyperparameters ?? null,
        continueFrom: input.continueFrom ?? null,
      },
      idempotencyKey,
    );
    return toClone(view);
  }

  @Mutation(() => TrainingRun, {
    description:
      "Cancels a queued or running training job: the worker stops after its current step (TrainingCancelled).",
  })
  async cancelTraining(
    @Arg("id", () => ID, { description: "The training job (run) id." }) id: string,
    @Arg("reason", () => String, { nullable: true }) reason: string | null,
    @Arg("idempotencyKey", () => String, idempotencyKeyOptions) idempotencyKey: string | null,
    @Ctx() context: ApiContext,
  ): Promise<TrainingRun> {
    const view = await context.services.clones.cancelTraining(
      requirePrincipal(context),
      { runId: id, reason },
      idempotencyKey,
    );
    const run = view.trainingRuns.find((r) => r.id === id);
    if (!run) throw new Error(`training run ${id} is missing from clone ${view._id}`);
    return toTrainingRun(view._id, run, view.blindTests);
  }

  @Mutation(() => Clone, {
    description:
      "Builds a training set from all of the clone's raw exports; DatasetBuilt or DatasetFailed follows.",
  })
  async buildDataset(
    @Arg("input", () => BuildDatasetInput) input: BuildDatasetInput,
    @Arg("idempotencyKey", () => String, idempotencyKeyOptions) idempotencyKey: string | null,
    @Ctx() context: ApiContext,
  ): Promise<Clone> {
    const spec: DatasetRequestSpec = {
      owner: input.owner ?? null,
      ...(input.owners != null ? { owners: input.owners } : {}),
      ...(input.ownerConfirmed === true ? { ownerConfirmed: true as const } : {}),
      includeChats: input.includeChats ?? [],
      excludeChats: input.excludeChats ?? [],
      includeContacts: input.includeContacts ?? [],
      excludeContacts: input.excludeContacts ?? [],
      ...(input.sessionGapMinutes != null ? { sessionGapMinutes: input.sessionGapMinutes } : {}),
      ...(input.valFraction != null ? { valFraction: input.valFraction } : {}),
      ...(input.pseudonymizeContacts != null ? { pseudonymizeContacts: input.pseudonymizeContacts } : {}),
      ...(input.ocr != null ? { ocr: input.ocr } : {}),
      ...(input.correctionWeight != null ? { correctionWeight: input.correctionWeight } : {}),
    };
    const view = await context.services.clones.buildDataset(
      requirePrincipal(context),
      { cloneId: input.cloneId, spec },
      idempotencyKey,
    );
    return toClone(view);
  }

  @Mutation(() => Clone, {
    description:
      "Deletes the clone's raw exports; built datasets stay, but no new dataset can be built from them.",
  })
  async purgeRawData(
    @Arg("cloneId", () => ID) cloneId: string,
    @Arg("idempotencyKey", () => String, idempotencyKeyOptions) idempotencyKey: string | null,
    @Ctx() context: ApiContext,
  ): Promise<Clone> {
    return toClone(
      await context.services.clones.purgeRawData(requirePrincipal(context), cloneId, idempotencyKey),
    );
  }

  @Mutation(() => Clone, {
    description:
      "Packs a trained adapter version (the newest when adapterVersion is omitted) into the next bundle version; `latest` then installs it.",
  })
  async publishClone(
    @Arg("cloneId", () => ID) cloneId: string,
    @Arg("adapterVersion", () => Int, {
      nullable: true,
      description: "The trained adapter version to publish.",
    })
    adapterVersion: number | null,
    @Arg("idempotencyKey", () => String, idempotencyKeyOptions) idempotencyKey: string | null,
    @Ctx() context: ApiContext,
  ): Promise<Clone> {
    return toClone(
      await context.services.clones.publishClone(
        requirePrincipal(context),
        { cloneId, adapterVersion },
        idempotencyKey,
      ),
    );
  }

  @Mutation(() => Clone, {
    description:
      "Goes back (or forward) to an already published bundle version: `latest` and the install command install it until the next publish.",
  })
  async selectPublishedVersion(
    @Arg("cloneId", () => ID) cloneId: string,
    @Arg("version", () => Int) version: number,
    @Ctx() context: ApiContext,
  ): Promise<Clone> {
    return toClone(
      await context.services.clones.selectPublishedVersion(requirePrincipal(context), cloneId, version),
    );
  }

  @Mutation(() => NewInstallToken, {
    description:
      "A token that downloads this clone's bundles, for the install command; the secret is returned this once.",
  })
  async createInstallToken(
    @Arg("cloneId", () => ID) cloneId: string,
    @Arg("expiresIn", () => Int, {
      defaultValue: 7 * 24 * 3600,
      description: "Seconds, 60 to 7776000 (90 days).",
    })
    expiresIn: number,
    @Arg("name", () => String, { defaultValue: "install", description: "What it is for, e.g. the machine." })
    name: string,
    @Ctx() context: ApiContext,
  ): Promise<NewInstallToken> {
    const created = await context.services.clones.createInstallToken(requirePrincipal(context), {
      cloneId,
      expiresInSeconds: expiresIn,
      name,
    });
    const clone = toClone(created.view);
    const installToken = clone.installTokens.find((t) => t.id === created.tokenId);
    if (!installToken) throw new Error(`install token ${created.tokenId} is missing from clone ${cloneId}`);
    return {
      token: created.token,
      installToken,
      installCommand: installCommand(context.services, cloneId, created.token),
    };
  }

  @Mutation(() => InstallToken, {
    description: "Revokes an install token at once (downloads with it are refused).",
  })
  async revokeInstallToken(
    @Arg("cloneId", () => ID) cloneId: string,
    @Arg("tokenId", () => ID) tokenId: string,
    @Ctx() context: ApiContext,
  ): Promise<InstallToken> {
    const view = await context.services.clones.revokeInstallToken(
      requirePrincipal(context),
      cloneId,
      tokenId,
    );
    const token = toClone(view).installTokens.find((t) => t.id === tokenId);
    if (!token) throw new Error(`install token ${tokenId} is missing from clone ${cloneId}`);
    return token;
  }

  @Mutation(() => Clone, {
    description: "Deletes the clone and its stored files; its id then answers NOT_FOUND.",
  })
  async deleteClone(
    @Arg("cloneId", () => ID) cloneId: string,
    @Arg("idempotencyKey", () => String, idempotencyKeyOptions) idempotencyKey: string | null,
    @Ctx() context: ApiContext,
  ): Promise<Clone> {
    return toClone(
      await context.services.clones.deleteClone(requirePrincipal(context), cloneId, idempotencyKey),
    );
  }
}
