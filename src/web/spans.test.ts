import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { cutSegments, highlights } from './spans.ts';
import { sampleAnalysis } from '../server/testing.ts';

test('overlapping spans both stay on the segments they cover', () => {
  // [0,10) and [5,15) over 20 characters: 0-5 A, 5-10 A+B, 10-15 B, 15-20 none.
  const segs = cutSegments(20, [{ start: 0, end: 10 }, { start: 5, end: 15 }]);
  assert.deepEqual(segs.map((s) => [s.start, s.end, s.spans]), [
    [0, 5, [0]],
    [5, 10, [0, 1]],
    [10, 15, [1]],
    [15, 20, []],
  ]);
});

test('segments tile the text and each span is exactly the union of its segments', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 200 }).chain((len) =>
        fc.tuple(fc.constant(len), fc.array(fc.tuple(fc.integer({ min: 0, max: len }), fc.integer({ min: 0, max: len })).map(([a, b]) => ({ start: Math.min(a, b), end: Math.max(a, b) })), { maxLength: 12 })),
      ),
      ([len, spans]) => {
        const segs = cutSegments(len, spans);
        let pos = 0;
        for (const s of segs) {
          assert.equal(s.start, pos);
          assert.ok(s.end > s.start);
          pos = s.end;
        }
        assert.equal(pos, len);
        spans.forEach((sp, i) => {
          const covered = segs.filter((s) => s.spans.includes(i));
          const total = covered.reduce((n, s) => n + (s.end - s.start), 0);
          assert.equal(total, sp.end - sp.start);
          if (covered.length) {
            assert.equal(covered[0].start, sp.start);
            assert.equal(covered[covered.length - 1].end, sp.end);
          }
        });
      },
    ),
  );
});

test('highlights come from every layer with the exact text of their offsets', () => {
  const a = sampleAnalysis();
  const hs = highlights(a);
  const layers = new Set(hs.map((h) => h.layer));
  assert.deepEqual([...layers].sort(), ['entities', 'quotes', 'techniques']);
  for (const h of hs) assert.equal(a.document.text.slice(h.start, h.end), h.text);
  const quote = hs.find((h) => h.layer === 'quotes')!;
  assert.equal(quote.speaker, 'Oskar Brandt');
  // A later layer with offsets is picked up under its own key; spans out of range are dropped.
  const withClaims = { ...a, claims: [{ label: 'Harbour sold off', start: 0, end: 5, confidence: 0.4 }, { label: 'bad', start: 5, end: 99999 }] };
  const other = highlights(withClaims).filter((h) => h.layer === 'other');
  assert.deepEqual(other.map((h) => [h.label, h.source]), [['Harbour sold off', 'claims']]);
});

test('narrative evidence and entity roles become highlights of their own layers', () => {
  const a = sampleAnalysis();
  const sentence = a.segments.sentences[1];
  const mention = a.entities[0].mentions[0];
  const hs = highlights({
    ...a,
    narratives: [{ narrative: 'Harbour sold off', confidence: 0.6, evidence: [{ start: sentence.start, end: sentence.end, text: sentence.text }], subnarratives: [] }],
    roles: [{ entity: 'e1', name: 'Oskar Brandt', main: 'Protagonist', mainConfidence: 0.7, fine: [{ role: 'Guardian', confidence: 0.5 }], mentions: [{ ...mention, main: 'Protagonist', mainConfidence: 0.7, fine: [{ role: 'Guardian', confidence: 0.5 }] }] }],
  });
  const narr = hs.filter((h) => h.layer === 'narratives');
  assert.deepEqual(narr.map((h) => [h.label, h.text]), [['Harbour sold off', sentence.text]]);
  const roles = hs.filter((h) => h.layer === 'roles');
  assert.deepEqual(roles.map((h) => [h.label, h.speaker, h.kind, h.text]), [['Protagonist', 'Oskar Brandt', 'Guardian', 'Oskar Brandt']]);
});
