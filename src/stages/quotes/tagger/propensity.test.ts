import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clauseAnchor, countText, formatTable, liftBucket, newCounts, parseTable, PROPENSITY_SIGNALS, propensityFrom } from './propensity.ts';
import { getMeaningFeatures, setMeaningFeatures, setPropensityTable, unitFeatures, ruleTags, MEANING_IN_USE } from './features.ts';
import { segment } from '../../../segment/index.ts';
import { extract } from '../extract.ts';

const sig = (name: (typeof PROPENSITY_SIGNALS)[number]) => 1 + PROPENSITY_SIGNALS.indexOf(name);

test('propensity counts: a clause after the word and a person before it', () => {
  const c = newCounts();
  countText('Minister Alva Renner insisted that the ferry would run. The ferry sank. She wants to leave. He warned: "No more."', c);
  const insisted = c.forms.get('insisted')!;
  assert.equal(insisted[0], 1);
  assert.equal(insisted[sig('that')], 1, '"that" right after');
  assert.equal(insisted[sig('person')], 1, 'a capitalised name right before');
  const sank = c.forms.get('sank')!;
  assert.equal(sank[sig('that')] + sank[sig('to')] + sank[sig('colon')], 0, 'nothing clause-like after "sank"');
  assert.equal(c.forms.get('wants')![sig('to')], 1, '"to" + verb');
  assert.equal(c.forms.get('wants')![sig('person')], 1, 'a subject pronoun before');
  assert.equal(c.forms.get('warned')![sig('colon')], 1, 'a colon next');
  assert.equal(c.forms.get('ferry')![sig('person')], 0, 'an article is no person');
});

test('propensity table: words that take clauses get high buckets, smoothing reaches unseen words, and the file round-trips', () => {
  const texts: string[] = [];
  for (let i = 0; i < 30; i++) {
    texts.push(`Councillor Brandt reckoned that the bridge ${i} would hold. The bridge ${i} carried trucks over the river.`);
    texts.push(`She reckoned the levy was fair. A truck crossed the bridge at noon on day ${i}.`);
  }
  const t = propensityFrom(texts);
  const reckoned = t.get('reckoned')!;
  const carried = t.get('carried') ?? new Uint8Array(PROPENSITY_SIGNALS.length).fill(liftBucket(1));
  assert.ok(reckoned[0] > carried[0], '"that" follows "reckoned", never "carried"');
  assert.ok(reckoned[0] > liftBucket(1));
  // A form never seen in the pool still gets its word-vector cluster's rates (any entry at all
  // means it differs from the pool's rate somewhere); the table holds many such forms.
  assert.ok(t.size > 1000);
  const back = parseTable(formatTable(t));
  assert.ok(back.size > t.size - 100, 'every ordinary form kept');
  assert.deepEqual([...back.get('reckoned')!], [...reckoned]);
});

test('lift buckets are ordered and bucket 3 is the pool rate', () => {
  assert.equal(liftBucket(1), 3);
  assert.equal(liftBucket(0.1), 0);
  assert.equal(liftBucket(100), 8);
  assert.ok(liftBucket(3) > liftBucket(1.5));
});

/** The first tagging unit of an invented text, with the rules' reading of it. */
function firstUnit(text: string) {
  const seg = segment(text);
  const ex = extract({ text, paragraphs: seg.segments.paragraphs, sentences: seg.segments.sentences, tokens: seg.tokens });
  const u = ex.units[0];
  return { text, u, rules: ruleTags(u, ex.drafts) };
}

test('the ctp features change a token\'s features and depend on the table', () => {
  const before = getMeaningFeatures();
  try {
    const { text, u, rules } = firstUnit('Officials glimpsed that the dam was cracked.');
    const k = u.toks.findIndex((x) => x.norm === 'glimpsed');
    const row = (that: number) => Uint8Array.from(PROPENSITY_SIGNALS, (_, s) => (s === 0 ? that : 3));
    setMeaningFeatures({ ...MEANING_IN_USE, ctp: 0 });
    const off = unitFeatures(text, u, rules, true)[k];
    setMeaningFeatures({ ...MEANING_IN_USE, ctp: 1 });
    setPropensityTable(new Map([['glimpsed', row(8)]]));
    const high = unitFeatures(text, u, rules, true)[k];
    setPropensityTable(new Map([['glimpsed', row(0)]]));
    const low = unitFeatures(text, u, rules, true)[k];
    assert.equal(high.length, off.length + PROPENSITY_SIGNALS.length + 1);
    assert.notDeepEqual([...high], [...low], 'another bucket, another feature id');
  } finally {
    setPropensityTable(null);
    setMeaningFeatures(before);
  }
});

test('ctp 2: a word that takes clauses in the pool anchors the distance-to-cue features of the words after it', () => {
  const before = getMeaningFeatures();
  try {
    const { text, u, rules } = firstUnit('Officials glimpsed that the dam was cracked.');
    const k = u.toks.findIndex((x) => x.norm === 'dam');
    // Clause after it 16 times the pool rate, a person before it, lower case.
    const anchor = Uint8Array.from(PROPENSITY_SIGNALS, (s) => (s === 'that' ? 7 : s === 'person' ? 5 : 3));
    assert.ok(clauseAnchor(anchor));
    assert.ok(!clauseAnchor(Uint8Array.from(PROPENSITY_SIGNALS, () => 3)));
    setPropensityTable(new Map([['glimpsed', anchor]]));
    setMeaningFeatures({ ...MEANING_IN_USE, ctp: 1 });
    const plain = unitFeatures(text, u, rules, true)[k];
    setMeaningFeatures({ ...MEANING_IN_USE, ctp: 2 });
    const anchored = unitFeatures(text, u, rules, true)[k];
    assert.equal(anchored.length, plain.length + 1, 'one more feature: the distance to the anchor on the left');
  } finally {
    setPropensityTable(null);
    setMeaningFeatures(before);
  }
});
