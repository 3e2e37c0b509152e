/**
 * ArtifactInfo kept as S3 user metadata on the object itself, so it changes together with the content
 * in one atomic object write. The size is the object's own length. The content type is kept here too,
 * not only in Content-Type: S3 fills in a default there, and the contract wants "none given" back.
 */
import type { ArtifactInfo } from "./artifactStore.js";

const SHA256 = "artifact-sha256";
const CREATED_AT = "artifact-created-at";
/** URI-encoded: metadata travels as HTTP headers, which only carry ASCII safely. */
const CONTENT_TYPE = "artifact-content-type";
const SHA256_HEX = /^[0-9a-f]{64}$/;

export function metadataOf(info: Omit<ArtifactInfo, "key" | "size">): Record<string, string> {
  const metadata: Record<string, string> = { [SHA256]: info.sha256, [CREATED_AT]: info.createdAt };
  if (info.contentType !== undefined) metadata[CONTENT_TYPE] = encodeURIComponent(info.contentType);
  return metadata;
}

/** The Content-Type header to send along, so presigned downloads carry it; only when it is plain ASCII. */
export function contentTypeHeaderOf(contentType: string | undefined): string | undefined {
  return contentType !== undefined && /^[\x20-\x7e]+$/.test(contentType) ? contentType : undefined;
}

export function infoFromObject(
  key: string,
  size: number | undefined,
  metadata: Record<string, string> | undefined,
): ArtifactInfo {
  const sha256 = metadata?.[SHA256];
  const createdAt = metadata?.[CREATED_AT];
  if (size === undefined || sha256 === undefined || !SHA256_HEX.test(sha256) || createdAt === undefined) {
    throw new Error(
      `S3 object for artifact ${key} lacks the artifact metadata: it was not written by this store`,
    );
  }
  const info: ArtifactInfo = { key, size, sha256, createdAt };
  const contentType = metadata?.[CONTENT_TYPE];
  if (contentType !== undefined) info.contentType = decodeURIComponent(contentType);
  return info;
}
