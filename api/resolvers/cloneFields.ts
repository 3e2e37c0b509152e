import { GraphQLJSONObject } from "graphql-scalars";
import { Arg, Ctx, FieldResolver, Int, Resolver, Root } from "type-graphql";
import {
  languageMismatch,
  ownerLanguages,
  styleProfileLanguageShares,
} from "../../domain/clone/languageFit.js";
import type { ApiContext } from "../context.js";
import { Clone, Dataset, DatasetLanguageFit, PublishedVersion } from "../types/cloneTypes.js";
import { installCommand } from "../types/mappers.js";

/** Clone fields that need the platform's public address, which only the request context knows. */
@Resolver(() => Clone)
export class CloneFields {
  @FieldResolver(() => String, { nullable: true })
  installCommand(@Root() clone: Clone, @Ctx() context: ApiContext): string | null {
    if (clone.publishedVersions.length === 0) return null;
    return installCommand(context.services, clone.id, "<INSTALL_TOKEN>");
  }
}

@Resolver(() => PublishedVersion)
export class PublishedVersionFields {
  @FieldResolver(() => String)
  downloadUrl(@Root() version: PublishedVersion, @Ctx() context: ApiContext): string {
    return `${context.services.publicUrl}${version.downloadPath}`;
  }
}

@Resolver(() => Dataset)
export class DatasetFields {
  @FieldResolver(() => GraphQLJSONObject, {
    nullable: true,
    description:
      "The build's full report (stats.json): every drop reason and redaction with counts, per-chat counts, the owner's style profile; null once the files are gone.",
  })
  report(@Root() dataset: Dataset, @Ctx() context: ApiContext): Promise<Record<string, unknown> | null> {
    return context.services.clones.datasetReport(dataset.artifactKey);
  }

  @FieldResolver(() => DatasetLanguageFit, {
    description:
      "The owner's languages (from the report's style profile) and which of them each base model does not serve.",
  })
  async languageFit(@Root() dataset: Dataset, @Ctx() context: ApiContext): Promise<DatasetLanguageFit> {
    const report = await context.services.clones.datasetReport(dataset.artifactKey);
    const shares = styleProfileLanguageShares(report);
    return {
      ownerLanguages: ownerLanguages(shares).map((o) => o.language),
      baseModels: context.services.baseModels().map((model) => ({
        name: model.name,
        unservedLanguages: languageMismatch(model, shares)?.unserved ?? [],
      })),
    };
  }

  @FieldResolver(() => [GraphQLJSONObject], {
    description: "The first training samples ({messages: [{role, content}]}), for a preview.",
  })
  preview(
    @Root() dataset: Dataset,
    @Arg("limit", () => Int, { defaultValue: 5, description: "1–20." }) limit: number,
    @Ctx() context: ApiContext,
  ): Promise<Record<string, unknown>[]> {
    return context.services.clones.datasetPreview(dataset.artifactKey, limit);
  }
}
