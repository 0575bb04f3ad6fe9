import type { NearDuplicatePair, SpeakerRank, Store } from '../store/types.ts';

/**
 * Outlet list and profile. The Store has no outlet queries yet (asked for in
 * /work/brief/requests-from-web.md); until it does, these are built from the
 * queries it has: the list from monthly outlet trends, the profile from the
 * outlet's latest articles (at most PROFILE_SAMPLE of them, said in the reply).
 */

export const PROFILE_SAMPLE = 200;

export interface OutletSummary {
  outlet: string;
  articles: number;
  firstSeen: string | null;
  lastSeen: string | null;
}

export interface OutletProfile extends OutletSummary {
  techniques: { technique: string; spans: number; articles: number }[];
  frames: { frame: string; articles: number }[];
  genres: { genre: string; articles: number }[];
  speakers: SpeakerRank[];
  copies: (NearDuplicatePair & { outletA: string | null; outletB: string | null })[];
  /** How many of the outlet's articles the technique and frame counts cover. */
  sampled: number;
}

type WithOutlets = Store & { outlets?: () => Promise<OutletSummary[]> };

export async function outletList(store: Store): Promise<OutletSummary[]> {
  const s = store as WithOutlets;
  if (typeof s.outlets === 'function') return s.outlets();
  const rows = await store.trends('outlet', 'month', { limit: 100_000 });
  const by = new Map<string, OutletSummary>();
  for (const r of rows) {
    const o = by.get(r.key) ?? { outlet: r.key, articles: 0, firstSeen: null, lastSeen: null };
    o.articles += r.count;
    if (!o.firstSeen || r.period < o.firstSeen) o.firstSeen = r.period;
    if (!o.lastSeen || r.period > o.lastSeen) o.lastSeen = r.period;
    by.set(r.key, o);
  }
  return [...by.values()].sort((a, b) => b.articles - a.articles || a.outlet.localeCompare(b.outlet));
}

export async function outletProfile(store: Store, name: string): Promise<OutletProfile | null> {
  const hits = await store.search({ outlet: name, limit: PROFILE_SAMPLE });
  if (!hits.length) return null;
  const summary = (await outletList(store)).find((o) => o.outlet === name);
  const tech = new Map<string, { spans: number; articles: number }>();
  const frames = new Map<string, number>();
  const genres = new Map<string, number>();
  const ids = new Set<number>();
  for (const hit of hits) {
    ids.add(hit.id);
    const a = await store.get(hit.id);
    if (!a) continue;
    const seen = new Set<string>();
    for (const t of a.techniques) {
      const e = tech.get(t.technique) ?? { spans: 0, articles: 0 };
      e.spans++;
      if (!seen.has(t.technique)) {
        seen.add(t.technique);
        e.articles++;
      }
      tech.set(t.technique, e);
    }
    for (const f of a.frames) frames.set(f.frame, (frames.get(f.frame) ?? 0) + 1);
    if (a.genre) genres.set(a.genre.label, (genres.get(a.genre.label) ?? 0) + 1);
  }
  const pairs = (await store.nearDuplicates()).filter((p) => ids.has(p.a) || ids.has(p.b));
  const outletOf = new Map<number, string | null>();
  for (const p of pairs) {
    for (const id of [p.a, p.b]) if (!outletOf.has(id)) outletOf.set(id, (await store.article(id))?.outlet ?? null);
  }
  return {
    outlet: name,
    articles: summary?.articles ?? hits.length,
    firstSeen: summary?.firstSeen ?? null,
    lastSeen: summary?.lastSeen ?? null,
    techniques: [...tech].map(([technique, v]) => ({ technique, ...v })).sort((a, b) => b.spans - a.spans),
    frames: [...frames].map(([frame, articles]) => ({ frame, articles })).sort((a, b) => b.articles - a.articles),
    genres: [...genres].map(([genre, articles]) => ({ genre, articles })).sort((a, b) => b.articles - a.articles),
    speakers: await store.speakers({ outlet: name, limit: 50 }),
    copies: pairs.map((p) => ({ ...p, outletA: outletOf.get(p.a) ?? null, outletB: outletOf.get(p.b) ?? null })),
    sampled: hits.length,
  };
}
