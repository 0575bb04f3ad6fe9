import type { NearDuplicatePair, StoredArticle } from '../store/types.ts';

/**
 * Groups of copies from near-duplicate pairs: connected pairs form a group;
 * within a group the earliest appearance (by publication time, then by when it
 * was stored) is the original, and every later copy is attributed to the
 * earlier member it resembles most — who copied whom.
 */

export interface CopyMember {
  article: StoredArticle;
  /** The earlier article this one most resembles, null for the earliest. */
  copiedFrom: number | null;
  /** Similarity to copiedFrom (estimated Jaccard), null for the earliest. */
  similarity: number | null;
}

export interface CopyGroup {
  /** The earliest appearance. */
  original: StoredArticle;
  /** All members in time order, the original first. */
  members: CopyMember[];
}

/** Sort key: publication time when known, otherwise the time it was stored, then id. */
function when(a: StoredArticle): string {
  return a.published ?? a.storedAt;
}

function earlier(a: StoredArticle, b: StoredArticle): number {
  const wa = when(a);
  const wb = when(b);
  if (wa !== wb) return wa < wb ? -1 : 1;
  return a.id - b.id;
}

export function copyGroups(pairs: NearDuplicatePair[], articles: Map<number, StoredArticle>): CopyGroup[] {
  const parent = new Map<number, number>();
  const find = (x: number): number => {
    let r = x;
    while (parent.has(r) && parent.get(r) !== r) r = parent.get(r)!;
    let y = x;
    while (y !== r) {
      const next = parent.get(y)!;
      parent.set(y, r);
      y = next;
    }
    return r;
  };
  const sim = new Map<number, Map<number, number>>();
  const note = (a: number, b: number, s: number) => {
    let m = sim.get(a);
    if (!m) sim.set(a, (m = new Map()));
    m.set(b, Math.max(s, m.get(b) ?? 0));
  };
  for (const { a, b, similarity } of pairs) {
    if (!articles.has(a) || !articles.has(b)) continue;
    if (!parent.has(a)) parent.set(a, a);
    if (!parent.has(b)) parent.set(b, b);
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent.set(ra, rb);
    note(a, b, similarity);
    note(b, a, similarity);
  }
  const groups = new Map<number, number[]>();
  for (const id of parent.keys()) {
    const r = find(id);
    const list = groups.get(r);
    if (list) list.push(id);
    else groups.set(r, [id]);
  }
  const out: CopyGroup[] = [];
  for (const ids of groups.values()) {
    const members = ids.map((id) => articles.get(id)!).sort(earlier);
    const list: CopyMember[] = members.map((article, i) => {
      if (i === 0) return { article, copiedFrom: null, similarity: null };
      let best: number | null = null;
      let bestSim = -1;
      const mine = sim.get(article.id)!;
      for (let j = 0; j < i; j++) {
        const s = mine.get(members[j].id);
        if (s !== undefined && s > bestSim) {
          best = members[j].id;
          bestSim = s;
        }
      }
      // Linked to the group only through later members: attribute to the original.
      if (best === null) return { article, copiedFrom: members[0].id, similarity: null };
      return { article, copiedFrom: best, similarity: bestSim };
    });
    out.push({ original: members[0], members: list });
  }
  return out.sort((a, b) => b.members.length - a.members.length || earlier(a.original, b.original));
}
