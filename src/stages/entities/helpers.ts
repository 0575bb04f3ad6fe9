/**
 * Small pure lookups over the entities layer, for the stages that come after
 * it (quotes, roles). None of them copies text or changes the entities.
 */
import type { Entity, Mention, Span } from '../../document/types.ts';
import { roleNoun } from './lexicon.ts';

export interface MentionRef {
  entity: Entity;
  mention: Mention;
}

/** Every mention of every entity, in text order. */
export function allMentions(entities: readonly Entity[]): MentionRef[] {
  const out: MentionRef[] = [];
  for (const entity of entities) for (const mention of entity.mentions) out.push({ entity, mention });
  return out.sort((x, y) => x.mention.start - y.mention.start || x.mention.end - y.mention.end);
}

/** The entity mention overlapping `span` (the longest overlap wins), or null. */
export function entityAt(entities: readonly Entity[], span: Span): MentionRef | null {
  let best: MentionRef | null = null;
  let bestOverlap = 0;
  for (const entity of entities) {
    for (const mention of entity.mentions) {
      const overlap = Math.min(span.end, mention.end) - Math.max(span.start, mention.start);
      if (overlap > bestOverlap) {
        best = { entity, mention };
        bestOverlap = overlap;
      }
    }
  }
  return best;
}

/**
 * Person mentions that end at or before `offset`, nearest first. `limit`
 * caps how many come back.
 */
export function personMentionsBefore(entities: readonly Entity[], offset: number, limit = Infinity): MentionRef[] {
  const out: MentionRef[] = [];
  for (const entity of entities) {
    if (entity.type !== 'person') continue;
    for (const mention of entity.mentions) if (mention.end <= offset) out.push({ entity, mention });
  }
  out.sort((x, y) => y.mention.end - x.mention.end);
  return out.slice(0, limit);
}

/**
 * Persons whose descriptors contain the role noun `head` ("pundit", "experts"
 * → "expert"), most recently mentioned before `offset` first. Use it to
 * resolve "the pundit said" to the person the text introduced as a pundit.
 */
export function personsWithRole(entities: readonly Entity[], head: string, offset: number): Entity[] {
  const h = roleNoun(head.toLowerCase()) ?? head.toLowerCase();
  const lastBefore = (e: Entity) => Math.max(-1, ...e.mentions.filter((m) => m.end <= offset).map((m) => m.end));
  return entities
    .filter((e) => e.type === 'person' && lastBefore(e) >= 0)
    .filter((e) =>
      e.descriptors.some((d) =>
        d
          .toLowerCase()
          .split(/[^\p{L}\p{N}'’-]+/u)
          .some((w) => w === h || roleNoun(w) === h),
      ),
    )
    .sort((x, y) => lastBefore(y) - lastBefore(x));
}
