import { Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import type { ApiContext } from "../context.js";
import { Clone, PublishedVersion } from "../types/cloneTypes.js";
import { installCommand } from "../types/mappers.js";

/** Clone fields that need the platform's public address, which only the request context knows. */
@Resolver(() => Clone)
export class CloneFields {
  @FieldResolver(() => String, { nullable: true })
  installCommand(@Root() clone: Clone, @Ctx() context: ApiContext): string | null {
    if (clone.publishedVersions.length === 0) return null;
    return installCommand(context.services.publicUrl, clone.id, "<INSTALL_TOKEN>");
  }
}

@Resolver(() => PublishedVersion)
export class PublishedVersionFields {
  @FieldResolver(() => String)
  downloadUrl(@Root() version: PublishedVersion, @Ctx() context: ApiContext): string {
    return `${context.services.publicUrl}${version.downloadPath}`;
  }
}
