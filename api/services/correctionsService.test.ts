import assert from "node:assert/strict";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { type CloneCommand, type CloneEvent, cloneDecider } from "../../domain/index.js";
import { SqliteDocumentStore } from "../../infra/docstore/sqliteDocumentStore.js";
import { correctionDoc } from "../../projections/cloneView/correctionsProjection.js";
import { applyCloneEvent } from "../../projections/cloneView.js";
import { ReadModels } from "../../projections/readModels.js";
import type { CloneView } from "../../projections/views.js";
import type { AuthPrincipal } from "../auth/authenticator.js";
import { CorrectionsService, type ParsedCorrectionsFile } from "./correctionsService.js";

const cloneId = "0193a000-0000-7000-8000-000000000001";
const owner = { ownerId: "o1", keyId: "k" } as AuthPrincipal;
const stranger = { ownerId: "o2", keyId: "k2" } as AuthPrincipal;

async function setup() {
  const store = await SqliteDocumentStore.open(
    join(await mkdtemp(join(tmpdir(), "corrections-")), "rm.sqlite"),
  );
  const models = new ReadModels(store);
  const events: CloneEvent[] = [{ type: "CloneCreated", data: { cloneId, ownerId: "o1", name: "Аня" } }];
  const view = (): CloneView => {
    let v: CloneView | null = null;
    events.forEach((e, i) => {
      v = applyCloneEvent(v, e, { revision: i, timestamp: "2026-12-06T21:00:00Z" });
    });
    return v as unknown as CloneView;
  };
  const notFound = () => Object.assign(new Error("not found"), { extensions: { code: "NOT_FOUND" } });
  let clock = Date.parse("2026-12-06T22:00:00Z");
  const service = new CorrectionsService({
    requireClone: async (principal, id) => {
      if (principal.ownerId !== "o1" || id !== cloneId) throw notFound();
      return view();
    },
    record: async (principal, command) => {
      const state = events.reduce(cloneDecider.evolve, cloneDecider.initialState);
      const appended = cloneDecider.decide(
        { ...command, actor: { kind: "owner", ownerId: principal.ownerId } } as CloneCommand,
        state,
      );
      for (const event of appended) {
        events.push(event);
        if (event.type === "CorrectionRecorded")
          await models.corrections.put(correctionDoc(event.data, events.length));
      }
      return { view: view(), events: appended };
    },
    corrections: models.corrections,
    parseFile: (text) => {
      const parsed = JSON.parse(text) as ParsedCorrectionsFile & { format?: string };
      if (parsed.format !== "aiclone-corrections") throw new Error("not a corrections file");
      return parsed;
    },
    fileMaxBytes: 2000,
    now: () => {
      clock += 60_000;
      return new Date(clock);
    },
  });
  return { service, events, view };
}

const file = (over: Partial<ParsedCorrectionsFile["clone"]> = {}, ids = ["t1", "t2"]) =>
  JSON.stringify({
    format: "aiclone-corrections",
    clone: { id: cloneId, adapterVersion: null, ...over },
    corrections: ids.map((id, i) => ({
      id,
      at: `2026-12-0${i + 1}T10:00:00+03:00`,
      channel: "telegram",
      context: [{ role: "user", content: `вопрос ${id}` }],
      draft: "черновик",
      ownerText: `мой ответ ${id}`,
    })),
  });

describe("corrections service", () => {
  it("imports a file once: a second upload adds nothing; the clone counts them", async () => {
    const { service } = await setup();
    const first = await service.importFile(owner, { cloneId, text: file() });
    assert.deepEqual([first.imported, first.alreadyRecorded], [2, 0]);
    assert.deepEqual(first.view.corrections, { total: 2, inNewestDataset: 0 });
    const again = await service.importFile(owner, { cloneId, text: file({}, ["t1", "t2", "t3"]) });
    assert.deepEqual([again.imported, again.alreadyRecorded], [1, 2]);
    assert.equal(again.view.corrections?.total, 3);
  });

  it("refuses a file too big, not a corrections file, or exported by another clone", async () => {
    const { service } = await setup();
    const refused = async (text: string, part: string) =>
      assert.rejects(
        service.importFile(owner, { cloneId, text }),
        (e: Error & { extensions?: { code?: string } }) => {
          assert.equal(e.extensions?.code, "BAD_USER_INPUT");
          assert.ok(e.message.includes(part), e.message);
          return true;
        },
      );
    await refused("x".repeat(2001), "limit of 2000");
    await refused('{"format": "other"}', "not a corrections file");
    await refused(file({ id: "0193a000-0000-7000-8000-00000000ffff" }), "another clone");
  });

  it("records a preview correction and lists the clone's corrections newest first, paged", async () => {
    const { service } = await setup();
    await service.importFile(owner, { cloneId, text: file() });
    // A preview correction needs a trained adapter version: refused (CONFLICT) on a clone without one.
    await assert.rejects(
      service.record(owner, {
        cloneId,
        adapterVersion: 1,
        context: [{ role: "user", content: "Привет" }],
        draft: "Здравствуйте.",
        ownerText: "Привет-привет!",
      }),
      /adapter version 1 does not exist/,
    );
    const page = await service.list(owner, cloneId, 1, 0);
    assert.equal(page.totalCount, 2);
    assert.equal(page.hasNextPage, true);
    assert.equal(page.nodes[0]?.correctionId, "t2", "the newest first");
    const next = await service.list(owner, cloneId, 1, 1);
    assert.deepEqual([next.nodes[0]?.correctionId, next.hasNextPage], ["t1", false]);
    assert.equal(next.nodes[0]?.ownerText, "мой ответ t1");
  });

  it("answers another owner's clone as missing, and refuses a page size past the limit", async () => {
    const { service } = await setup();
    await assert.rejects(service.list(stranger, cloneId, 10, 0), /not found/);
    await assert.rejects(service.importFile(stranger, { cloneId, text: file() }), /not found/);
    await assert.rejects(service.list(owner, cloneId, 101, 0), /first/);
  });
});
