import { type CloneEvent, type OwnerEvent, parseCloneEvent, parseOwnerEvent } from "../domain/index.js";
import type { RecordedEvent } from "../infra/eventstore/eventStore.js";
import { correctionDoc } from "./cloneView/correctionsProjection.js";
import { applyCloneEvent, type EventContext } from "./cloneView.js";
import { applyOwnerEvent } from "./ownerViews.js";
import type { ReadModels } from "./readModels.js";
import type { CloneView } from "./views.js";

const CLONE_STREAM = "clone-";

/**
 * A page of events applied to the read models with one read and one write per document: the clone views
 * and stream positions the page touches are read together up front, changed in memory event by event, and
 * written together at the end (views first, then positions, so a crash between the two leaves a view
 * ahead of its position, which the next delivery records without applying again). The rare events with
 * other effects (install tokens, corrections, training runs, owners and API keys) write those inline, in
 * log order; a clone's deletion writes the page so far before making the deletions physical.
 */
export class ProjectionPage {
  private readonly positions = new Map<string, number>();
  private readonly views = new Map<string, CloneView | null>();
  private readonly dirtyViews = new Map<string, CloneView>();
  private readonly dirtyPositions = new Map<string, number>();

  constructor(private readonly models: ReadModels) {}

  /** Reads what the page's events will need: their streams' positions and their clones' views. */
  async load(events: RecordedEvent[]): Promise<void> {
    const streams = [...new Set(events.map((e) => e.streamId))];
    const stored = await this.models.streamPositions.getMany(streams);
    for (const [i, stream] of streams.entries()) this.positions.set(stream, stored[i]?._rev ?? -1);
    const clones = streams.filter((s) => s.startsWith(CLONE_STREAM)).map((s) => s.slice(CLONE_STREAM.length));
    const views = await this.models.clones.getMany(clones);
    for (const [i, cloneId] of clones.entries()) this.views.set(cloneId, views[i] ?? null);
  }

  /** Whether the read models already hold this event (a redelivery or a replay). */
  holds(event: RecordedEvent): boolean {
    return (this.positions.get(event.streamId) ?? -1) >= event.revision;
  }

  async applyClone(event: RecordedEvent): Promise<void> {
    const domainEvent = parseCloneEvent(event.type, event.data);
    const { cloneId } = domainEvent.data;
    const current = this.views.has(cloneId)
      ? (this.views.get(cloneId) ?? null)
      : await this.models.clones.get(cloneId);
    // A crash between the view write and the position write leaves the view ahead: skip, but record.
    if (!current || current._rev < event.revision) {
      const next = applyCloneEvent(current, domainEvent, contextOf(event));
      if (next) this.dirtyViews.set(cloneId, next);
      this.views.set(cloneId, next ?? current);
    }
    await this.cloneSideEffects(domainEvent, event);
    this.advance(event);
    if (domainEvent.type === "CloneDeleted") {
      // A deleted clone's views are gone: make it physical (no old row versions left in SQLite's WAL).
      await this.flush();
      await this.models.store.flushDeletions();
    }
  }

  async applyOwner(event: RecordedEvent): Promise<void> {
    const domainEvent: OwnerEvent = parseOwnerEvent(event.type, event.data);
    const existingKey =
      domainEvent.type === "ApiKeyRevoked" ? await this.models.apiKeys.get(domainEvent.data.keyId) : null;
    const { owner, apiKey } = applyOwnerEvent(domainEvent, contextOf(event), existingKey);
    if (owner) await this.models.owners.upsertGuarded(owner, "_rev");
    if (apiKey) await this.models.apiKeys.upsertGuarded(apiKey, "_rev");
    this.advance(event);
  }

  /** Writes the changed views, then the positions: one bulk write each. */
  async flush(): Promise<void> {
    if (this.dirtyViews.size > 0)
      await this.models.clones.upsertGuardedMany([...this.dirtyViews.values()], "_rev");
    this.dirtyViews.clear();
    const positions = [...this.dirtyPositions].map(([_id, _rev]) => ({ _id, _rev }));
    if (positions.length > 0) await this.models.streamPositions.upsertGuardedMany(positions, "_rev");
    this.dirtyPositions.clear();
  }

  private advance(event: RecordedEvent): void {
    this.positions.set(event.streamId, event.revision);
    this.dirtyPositions.set(event.streamId, event.revision);
  }

  private async cloneSideEffects(domainEvent: CloneEvent, event: RecordedEvent): Promise<void> {
    const models = this.models;
    if (domainEvent.type === "InstallTokenCreated") {
      const { tokenId, cloneId, hash, expiresAt } = domainEvent.data;
      await models.installTokens.put({ _id: tokenId, cloneId, hash, expiresAt, revokedAt: null });
    } else if (domainEvent.type === "InstallTokenRevoked") {
      const token = await models.installTokens.get(domainEvent.data.tokenId);
      if (token) await models.installTokens.put({ ...token, revokedAt: event.metadata.timestamp });
    } else if (domainEvent.type === "CorrectionRecorded") {
      await models.corrections.put(correctionDoc(domainEvent.data, event.revision));
    } else if (domainEvent.type === "CloneDeleted") {
      await models.corrections.deleteMany({ cloneId: domainEvent.data.cloneId });
      await models.installTokens.deleteMany({ cloneId: domainEvent.data.cloneId });
      await models.trainingRuns.deleteMany({ cloneId: domainEvent.data.cloneId });
    } else if (domainEvent.type === "TrainingRequested")
      await models.trainingRuns.put({ _id: domainEvent.data.runId, cloneId: domainEvent.data.cloneId });
  }
}

const contextOf = (event: RecordedEvent): EventContext => ({
  revision: event.revision,
  timestamp: event.metadata.timestamp,
});
