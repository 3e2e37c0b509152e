import { EventEmitter } from "node:events";
import { isCloneEventType, isOwnerEventType, parseCloneEvent, parseOwnerEvent } from "../domain/index.js";
import type { DeliveredMessage, EventBus, Subscription } from "../infra/bus/eventBus.js";
import { parseEnvelope } from "../infra/bus/eventEnvelope.js";
import type { RecordedEvent } from "../infra/eventstore/eventStore.js";
import { correctionDoc } from "./cloneView/correctionsProjection.js";
import { applyCloneEvent } from "./cloneView.js";
import { applyOwnerEvent } from "./ownerViews.js";
import type { ReadModels } from "./readModels.js";
import { type ReadModelUpdate, readModelUpdatesTopic } from "./readModelUpdate.js";

export const projectionGroup = "projections";

/**
 * Applies events to the read models. Each write is guarded by the stream revision, so redelivered
 * or replayed events change nothing; after a write the update is announced for subscriptions.
 */
export class Projector {
  readonly applied = new EventEmitter();
  private subscriptions: Subscription[] = [];

  constructor(
    private readonly models: ReadModels,
    private readonly bus?: EventBus,
  ) {
    this.applied.setMaxListeners(0);
  }

  async start(): Promise<void> {
    if (!this.bus) throw new Error("a projector without a bus can only replay");
    const handler = (message: DeliveredMessage) => this.handleMessage(message);
    for (const topic of ["clone-events", "owner-events"])
      this.subscriptions.push(await this.bus.subscribe(topic, { group: projectionGroup }, handler));
  }

  async stop(): Promise<void> {
    await Promise.all(this.subscriptions.map((s) => s.close()));
    this.subscriptions = [];
  }

  private async handleMessage(message: DeliveredMessage): Promise<void> {
    const event = parseEnvelope(message.value);
    const changed = await this.apply(event);
    if (changed && this.bus && event.streamId.startsWith("clone-")) {
      const update: ReadModelUpdate = { cloneId: event.streamId.slice("clone-".length), event };
      await this.bus.publish(readModelUpdatesTopic, [{ key: update.cloneId, value: update }]);
    }
  }

  /** Applies one event; false when it was already applied (a redelivery). */
  async apply(event: RecordedEvent): Promise<boolean> {
    // Streams no read model is built from (e.g. platform-init) are not tracked, live or in a rebuild.
    if (!isCloneEventType(event.type) && !isOwnerEventType(event.type)) return false;
    const context = { revision: event.revision, timestamp: event.metadata.timestamp };
    const position = await this.models.streamPositions.get(event.streamId);
    if (position && position._rev >= event.revision) return false;
    if (isCloneEventType(event.type)) {
      const domainEvent = parseCloneEvent(event.type, event.data);
      const current = await this.models.clones.get(domainEvent.data.cloneId);
      // A crash between the view write and the position write leaves the view ahead: skip, but record.
      if (!current || current._rev < event.revision) {
        const next = applyCloneEvent(current, domainEvent, context);
        if (next) await this.models.clones.upsertGuarded(next, "_rev");
      }
      if (domainEvent.type === "InstallTokenCreated") {
        const { tokenId, cloneId, hash, expiresAt } = domainEvent.data;
        await this.models.installTokens.put({ _id: tokenId, cloneId, hash, expiresAt, revokedAt: null });
      } else if (domainEvent.type === "InstallTokenRevoked") {
        const token = await this.models.installTokens.get(domainEvent.data.tokenId);
        if (token) await this.models.installTokens.put({ ...token, revokedAt: event.metadata.timestamp });
      } else if (domainEvent.type === "CorrectionRecorded") {
        await this.models.corrections.put(correctionDoc(domainEvent.data, event.revision));
      } else if (domainEvent.type === "CloneDeleted") {
        await this.models.corrections.deleteMany({ cloneId: domainEvent.data.cloneId });
        await this.models.installTokens.deleteMany({ cloneId: domainEvent.data.cloneId });
        await this.models.trainingRuns.deleteMany({ cloneId: domainEvent.data.cloneId });
      }
      if (domainEvent.type === "TrainingRequested")
        await this.models.trainingRuns.put({
          _id: domainEvent.data.runId,
          cloneId: domainEvent.data.cloneId,
        });
    } else if (isOwnerEventType(event.type)) {
      const domainEvent = parseOwnerEvent(event.type, event.data);
      const existingKey =
        domainEvent.type === "ApiKeyRevoked" ? await this.models.apiKeys.get(domainEvent.data.keyId) : null;
      const { owner, apiKey } = applyOwnerEvent(domainEvent, context, existingKey);
      if (owner) await this.models.owners.upsertGuarded(owner, "_rev");
      if (apiKey) await this.models.apiKeys.upsertGuarded(apiKey, "_rev");
    }
    await this.models.streamPositions.upsertGuarded({ _id: event.streamId, _rev: event.revision }, "_rev");
    // A deleted clone's views are gone: make it physical (no old row versions left in SQLite's WAL).
    if (event.type === "CloneDeleted") await this.models.store.flushDeletions();
    this.applied.emit(event.streamId, event.revision);
    return true;
  }
}
