/**
 * One S3 multipart upload, fed a part at a time. At most one part is in flight while the caller reads
 * the next one, so memory holds two parts at most however large the object grows.
 */
import {
  AbortMultipartUploadCommand,
  type CompletedPart,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  type S3Client,
  UploadPartCommand,
  UploadPartCopyCommand,
} from "@aws-sdk/client-s3";

/** S3's limit on parts per upload. */
const MAX_PARTS = 10_000;

export interface MultipartTarget {
  client: S3Client;
  bucket: string;
  objectKey: string;
  metadata?: Record<string, string>;
  contentType?: string;
}

export class S3MultipartUpload {
  private readonly parts: CompletedPart[] = [];
  private inFlight: Promise<void> = Promise.resolve();

  private constructor(
    private readonly target: MultipartTarget,
    private readonly uploadId: string,
  ) {}

  static async create(target: MultipartTarget, signal?: AbortSignal): Promise<S3MultipartUpload> {
    const { client, bucket, objectKey, metadata, contentType } = target;
    const created = await client.send(
      new CreateMultipartUploadCommand({
        Bucket: bucket,
        Key: objectKey,
        Metadata: metadata,
        ContentType: contentType,
      }),
      { abortSignal: signal },
    );
    if (created.UploadId === undefined) throw new Error(`S3 gave no upload id for ${objectKey}`);
    return new S3MultipartUpload(target, created.UploadId);
  }

  /** Waits for the previous part, then sends this one without waiting for it. */
  async uploadPart(bytes: Buffer, signal?: AbortSignal): Promise<void> {
    await this.inFlight;
    const partNumber = this.nextPartNumber();
    const { client, bucket, objectKey } = this.target;
    this.track(
      client
        .send(
          new UploadPartCommand({
            Bucket: bucket,
            Key: objectKey,
            UploadId: this.uploadId,
            PartNumber: partNumber,
            Body: bytes,
            ContentLength: bytes.byteLength,
          }),
          { abortSignal: signal },
        )
        .then((out) => {
          this.parts.push({ PartNumber: partNumber, ETag: out.ETag });
        }),
    );
  }

  /** Copies the inclusive byte range of another object in as the next part, server side. */
  async copyPart(copySource: string, start: number, end: number, signal?: AbortSignal): Promise<void> {
    await this.inFlight;
    const partNumber = this.nextPartNumber();
    const { client, bucket, objectKey } = this.target;
    const out = await client.send(
      new UploadPartCopyCommand({
        Bucket: bucket,
        Key: objectKey,
        UploadId: this.uploadId,
        PartNumber: partNumber,
        CopySource: copySource,
        CopySourceRange: `bytes=${start}-${end}`,
      }),
      { abortSignal: signal },
    );
    this.parts.push({ PartNumber: partNumber, ETag: out.CopyPartResult?.ETag });
  }

  /** Makes the object visible; the caller checks size and sha256 before this point, never after. */
  async complete(signal?: AbortSignal): Promise<void> {
    await this.inFlight;
    const { client, bucket, objectKey } = this.target;
    await client.send(
      new CompleteMultipartUploadCommand({
        Bucket: bucket,
        Key: objectKey,
        UploadId: this.uploadId,
        MultipartUpload: { Parts: this.parts },
      }),
      { abortSignal: signal },
    );
  }

  /**
   * Discards the parts. Best effort and without the caller's signal (which may be what failed): the
   * caller is already failing with the error that matters.
   */
  async abort(): Promise<void> {
    await this.inFlight.catch(() => {});
    const { client, bucket, objectKey } = this.target;
    await client
      .send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: objectKey, UploadId: this.uploadId }))
      .catch(() => {});
  }

  private nextPartNumber(): number {
    const partNumber = this.parts.length + 1;
    if (partNumber > MAX_PARTS) {
      throw new RangeError(
        `S3 upload of ${this.target.objectKey}: more than ${MAX_PARTS} parts; use a larger partSize`,
      );
    }
    return partNumber;
  }

  private track(sending: Promise<void>): void {
    // Observed by the next uploadPart, complete or abort; until then, not an unhandled rejection.
    sending.catch(() => {});
    this.inFlight = sending;
  }
}
