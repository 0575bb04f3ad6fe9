/**
 * Test helper shared by the quotes tests (not a test itself): hand-built entities for invented
 * texts, so that speaker rules are tested apart from the entities stage.
 */
import assert from 'node:assert/strict';
import type { Entity, Mention, Quote } from '../../document/types.ts';

export interface Spec {
  id: string;
  name: string;
  type?: Entity['type'];
  gender?: Entity['gender'];
  descriptors?: string[];
  /** Other surface forms (surname, short name) that mention the entity. */
  aliases?: string[];
}

/** Every occurrence of the name or an alias is a mention of its entity (earlier forms win overlaps). */
export function entities(text: string, specs: Spec[]): Entity[] {
  return specs.map((s) => {
    const mentions: Mention[] = [];
    const taken: [number, number][] = [];
    for (const form of [s.name, ...(s.aliases ?? [])]) {
      const re = new RegExp(`\\b${form.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`, 'g');
      for (const m of text.matchAll(re)) {
        const start = m.index!;
        const end = start + form.length;
        if (taken.some(([a, b]) => start < b && a < end)) continue;
        taken.push([start, end]);
        mentions.push({ start, end, text: form, kind: form === s.name ? 'name' : 'surname' });
      }
    }
    mentions.sort((a, b) => a.start - b.start);
    return { id: s.id, type: s.type ?? 'person', name: s.name, descriptors: s.descriptors ?? [], mentions, gender: s.gender ?? 'unknown' };
  });
}

/** The quote whose content contains `needle` (fails the test, listing what was found, when none does). */
export function quoteWith(quotes: Quote[], needle: string): Quote {
  const q = quotes.find((x) => x.parts.some((p) => p.text.includes(needle)));
  assert.ok(q, `no quote contains ${JSON.stringify(needle)}; found: ${quotes.map((x) => x.text).join(' | ')}`);
  return q;
}
