import { useCallback, useEffect, useState } from "react";
import { ErrorBox, Loading } from "../components/common";
import { principalName } from "../components/labels";
import {
  CloneEventAddedDocument,
  CloneEventsDocument,
  type EventFieldsFragment,
  MeDocument,
} from "../gql/graphql";
import { useI18n } from "../i18n";
import { useApi } from "../session";

/** The clone's events, oldest first, with new ones appended live by the cloneEvents subscription. */
export function TimelinePanel({ cloneId }: { cloneId: string }) {
  const i18n = useI18n();
  const { t, dateTime, maybe } = i18n;
  const api = useApi();
  // Key names by id, to say who did it by name ("you (key “laptop”)") rather than by id.
  const [keys, setKeys] = useState<ReadonlyMap<string, string>>(new Map());
  useEffect(() => {
    api
      .request(MeDocument)
      .then(({ me }) => setKeys(new Map(me.apiKeys.map((k) => [k.id, k.name]))))
      .catch(() => {});
  }, [api]);
  const [events, setEvents] = useState<EventFieldsFragment[] | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const merge = useCallback((incoming: EventFieldsFragment[]) => {
    setEvents((current) => {
      const byId = new Map((current ?? []).map((e) => [e.id, e]));
      for (const e of incoming) byId.set(e.id, e);
      return [...byId.values()].sort((a, b) => a.revision - b.revision);
    });
  }, []);
  const load = useCallback(async () => {
    try {
      merge((await api.request(CloneEventsDocument, { id: cloneId })).cloneEvents);
      setError(null);
    } catch (e) {
      setError(e);
    }
  }, [api, cloneId, merge]);
  useEffect(() => {
    const stop = api.watch(CloneEventAddedDocument, { id: cloneId }, (d) => merge([d.cloneEvents]));
    void load();
    const off = api.onReconnect(() => void load());
    return () => {
      stop();
      off();
    };
  }, [api, cloneId, load, merge]);

  return (
    <section className="card" aria-labelledby="timeline-title">
      <h2 id="timeline-title">{t("timeline.title")}</h2>
      {error != null && <ErrorBox error={error} onRetry={load} />}
      {events === undefined && error == null && <Loading />}
      {events?.length === 0 && <p className="empty">{t("timeline.empty")}</p>}
      {events && events.length > 0 && (
        <ol className="timeline" data-testid="timeline">
          {[...events].reverse().map((event) => (
            <li key={event.id} data-event-type={event.type}>
              <div className="row between wrap">
                <strong>{maybe(`event.${event.type}`, maybe("event.other", event.type))}</strong>
                <time dateTime={event.timestamp} className="muted small">
                  {dateTime(event.timestamp)}
                </time>
              </div>
              <span className="muted small">
                #{event.revision} ·{" "}
                {t("timeline.by", { principal: principalName(i18n, event.principal, keys) })}
              </span>
              <details>
                <summary>{t("timeline.details")}</summary>
                <pre>{JSON.stringify(event.data, null, 2)}</pre>
              </details>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
