import type { Db } from '../db/client.js';
import { publishedResults, type Published } from '../publication/service.js';

/**
 * Announcement day: press, businesses and officials open the same results at once. A publication never
 * changes once written (docs/design.md §3, §8), so each instance reads and parses a campaign's publication
 * once and keeps it — with what is derived from it: the report model per language, every download's bytes
 * — for the life of the process. Before publication nothing is kept (the next request looks again). A
 * bounded number of campaigns is kept, the least recently read dropped first.
 */
export interface PublishedEntry {
  published: Published;
  derived: Map<string, Promise<unknown>>;
}

export function publishedCache(db: Db, keep = 8) {
  const entries = new Map<string, Promise<PublishedEntry | null>>();

  function entry(campaignId: string): Promise<PublishedEntry | null> {
    const known = entries.get(campaignId);
    if (known) {
      entries.delete(campaignId); // most recently read last
      entries.set(campaignId, known);
      return known;
    }
    const loading = publishedResults(db, campaignId).then((published) => published && { published, derived: new Map() });
    entries.set(campaignId, loading);
    const forget = () => entries.get(campaignId) === loading && entries.delete(campaignId);
    loading.then((found) => found ?? forget(), forget);
    while (entries.size > keep) entries.delete(entries.keys().next().value!);
    return loading;
  }

  /** A value made from the publication once (a failed making is tried again next time). */
  function derived<T>(from: PublishedEntry, key: string, make: () => T | Promise<T>): Promise<T> {
    let value = from.derived.get(key) as Promise<T> | undefined;
    if (!value) {
      value = Promise.resolve().then(make);
      from.derived.set(key, value);
      value.catch(() => from.derived.delete(key));
    }
    return value;
  }

  return { entry, derived };
}
