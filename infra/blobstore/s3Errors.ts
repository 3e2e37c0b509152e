/** Recognises the S3 answers the store turns into its own errors, by status as much as by name. */
interface S3ServiceError {
  name?: unknown;
  Code?: unknown;
  $metadata?: { httpStatusCode?: number };
}

function statusOf(error: unknown): number | undefined {
  return typeof error === "object" && error !== null
    ? (error as S3ServiceError).$metadata?.httpStatusCode
    : undefined;
}

function nameOf(error: unknown): unknown {
  return typeof error === "object" && error !== null ? (error as S3ServiceError).name : undefined;
}

/** HeadObject answers a bare 404 ("NotFound"); GetObject names it NoSuchKey. */
export function isNotFound(error: unknown): boolean {
  const name = nameOf(error);
  return name === "NoSuchKey" || name === "NotFound" || statusOf(error) === 404;
}

export function isNoSuchBucket(error: unknown): boolean {
  const name = nameOf(error);
  return name === "NoSuchBucket" || name === "NotFound" || statusOf(error) === 404;
}

export function isInvalidRange(error: unknown): boolean {
  return nameOf(error) === "InvalidRange" || statusOf(error) === 416;
}

export function isBucketAlreadyOwned(error: unknown): boolean {
  return nameOf(error) === "BucketAlreadyOwnedByYou";
}
