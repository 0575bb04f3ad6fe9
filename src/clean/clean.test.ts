import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { clean, toRaw, toRawSpan, nearEqual, type Cleaned } from './index.ts';

const fixture = (name: string) => readFileSync(new URL(`../../test/fixtures/ingest/${name}`, import.meta.url), 'utf8');

/** Every copied run is an exact copy; runs are sorted and disjoint on both sides. */
function assertRunsExact(raw: string, c: Cleaned): void {
  let lastClean = 0;
  let lastRaw = 0;
  for (const r of c.runs) {
    assert.ok(r.length > 0, 'empty run');
    assert.ok(r.clean >= lastClean && r.raw >= lastRaw, 'runs out of order');
    assert.equal(c.text.slice(r.clean, r.clean + r.length), raw.slice(r.raw, r.raw + r.length));
    lastClean = r.clean + r.length;
    lastRaw = r.raw + r.length;
  }
  assert.ok(lastClean <= c.text.length && lastRaw <= raw.length);
}

function assertMonotone(c: Cleaned): void {
  for (const bias of ['start', 'end'] as const) {
    let prev = -1;
    for (let i = 0; i <= c.text.length; i++) {
      const r = toRaw(c, i, bias);
      assert.ok(r >= prev, `toRaw(${i}, ${bias}) = ${r} < ${prev}`);
      assert.ok(r >= 0 && r <= (c.rawLength ?? Infinity));
      prev = r;
    }
  }
}

function assertWellFormed(c: Cleaned): void {
  assert.equal(c.text, c.text.normalize('NFC'), 'not NFC');
  assert.ok(!/\r/.test(c.text), 'carriage return left');
  assert.ok(!/\n{3,}/.test(c.text), 'more than one blank line');
  assert.ok(!/[ \t]\n|\n[ \t]|^[ \t\n]|[ \t\n]$|  |\t/.test(c.text), 'untrimmed line or doubled space');
  assert.ok(!/[\u200b\ufeff\u0000-\u0008\u000b-\u001f]/.test(c.text), 'zero-width or control character left');
}

test('headline scraped three times keeps one copy and records the others', () => {
  const raw = fixture('repeated-headline.txt');
  const c = clean(raw);
  const headline = 'Grain ships return to Kelsmouth after two-month blockade';
  assert.equal(c.text.split(headline).length - 1, 1);
  assert.ok(c.text.startsWith(headline + '\n\nThe first grain carriers'));
  const reasons = c.removed.map((r) => r.reason);
  assert.equal(reasons.filter((r) => r === 'repeated-headline').length, 2);
  assert.ok(reasons.includes('share-line'));
  assert.ok(reasons.includes('read-more'));
  assert.ok(reasons.includes('newsletter'));
  assert.ok(!c.text.includes('Share this article'));
  assert.ok(!c.text.includes('Read more'));
  assert.ok(!c.text.includes('newsletter'));
  assert.equal(clean('Home > World > Europe\n\nThe text.').text, 'The text.');
  for (const r of c.removed) assert.ok(raw.slice(r.start, r.end).trim().length > 0);
  assertRunsExact(raw, c);
});

test('headline and subtitle repeated (one copy with a site name) keep one of each', () => {
  const raw = fixture('repeated-headline-subtitle.txt');
  const c = clean(raw, { title: 'Western sanctions are backfiring, says Norvanian economist' });
  const lines = c.text.split('\n');
  assert.equal(lines[0], 'Western sanctions are backfiring, says Norvanian economist');
  assert.equal(lines[1], 'The analyst believes Europe will pay the highest price for its own decisions');
  assert.equal(lines[2], '');
  assert.ok(lines[3].startsWith('The restrictive measures'));
  assert.ok(!c.text.includes('| Daily Meridian'));
  assert.equal(c.text.split('The analyst believes Europe').length - 1, 1);
  assert.deepEqual(
    c.removed.map((r) => r.reason),
    ['repeated-headline', 'repeated-subtitle', 'follow-line'],
  );
  // Section headings stay as their own paragraphs.
  assert.ok(c.text.includes('\n\nEnergy bills tell the story\n\n'));
  assert.ok(c.text.includes('\n\nA choice Europe did not have to make\n\n'));
  assertRunsExact(raw, c);
});

test('a headline repeated inside one line is cut to one copy', () => {
  const raw = 'Mayor resigns over bridge deal Mayor resigns over bridge deal Mayor resigns over bridge deal\n\nThe mayor of Tarnholt stepped down on Friday.';
  const c = clean(raw);
  assert.equal(c.text, 'Mayor resigns over bridge deal\n\nThe mayor of Tarnholt stepped down on Friday.');
  assert.equal(c.removed.length, 1);
  assert.equal(raw.slice(c.removed[0].start, c.removed[0].end), 'Mayor resigns over bridge deal Mayor resigns over bridge deal');
});

test('headed sections and wire copy come through unchanged', () => {
  for (const name of ['headed-sections.txt', 'wire-copy.txt', 'french.txt']) {
    const raw = fixture(name);
    const c = clean(raw);
    assert.equal(c.text, raw.trim(), name);
    assert.deepEqual(c.removed, [], name);
    // One run covers everything: the text is a plain copy.
    assert.equal(c.runs.length, 1, name);
  }
});

test('a lede that merely starts like the headline is kept', () => {
  const raw = 'Storm hits the coast\n\nStorm hits the coast of Verland, cutting power to thousands of homes on Monday night.';
  const c = clean(raw);
  assert.equal(c.text, raw);
});

test('a lede that restates the headline as a sentence is kept', () => {
  const raw = 'Singer says she cannot imagine what the flood victims went through\n\nA tearful singer said she "cannot imagine what the flood victims went through" at a charity evening on Friday.\n\nThe concert raised money for families in the valley.';
  const c = clean(raw);
  assert.equal(c.text, raw);
  // The same for a quote headline with its speaker in front.
  const q = 'Mayor Brand: the new bridge will be finished in May\n\nThe new bridge will be finished in May.\nWork started two years ago.';
  assert.equal(clean(q).text, q);
});

test('headline variants: date or rubric prefix, site suffix, shortened copy', () => {
  const dated = clean('Ferry fares rise again on the island routes\n\n12 Mar 2026 Ferry fares rise again on the island routes\n\nTickets will cost more from April.');
  assert.equal(dated.text, 'Ferry fares rise again on the island routes\n\nTickets will cost more from April.');
  const rubric = clean('Letters: Our harbour deserves better than this plan\nOur harbour deserves better than this plan\n\nI have lived here for forty years.');
  assert.equal(rubric.text, 'Letters: Our harbour deserves better than this plan\n\nI have lived here for forty years.');
  // A heading that merely shares words with the headline stays.
  const part = clean('Tension over the dam: could the valley flood this spring?\n\ncould the valley flood\n\nEngineers inspected the dam on Monday.');
  assert.ok(part.text.includes('\n\ncould the valley flood\n\n'));
  // A shortened copy first, the complete headline after it: the complete one stays.
  const raw = 'Council approves the new ferry timetable after a long ...\n\nCouncil approves the new ferry timetable after a long debate on Monday night\nThe vote was close.';
  const c = clean(raw);
  assert.equal(c.text, 'Council approves the new ferry timetable after a long debate on Monday night\nThe vote was close.');
  assert.deepEqual(c.removed.map((r) => [r.reason, raw.slice(r.start, r.end)]), [['repeated-headline', 'Council approves the new ferry timetable after a long ...']]);
  assertRunsExact(raw, c);
});

test('ordinary sentences mentioning shares, cookies or newsletters survive', () => {
  const raw = [
    'Headline about markets',
    '',
    'Shares in the bakery chain rose 4 percent after it said its cookies sold well over the holidays.',
    '',
    'The company will share more details in its next newsletter to investors, a spokeswoman said.',
    '',
    'Follow the money, the auditor told the committee.',
  ].join('\n');
  assert.equal(clean(raw).text, raw);
});

test('whitespace, line endings, zero-width and control characters are normalised', () => {
  const raw = '  Title\u00a0 here \r\n\r\n\r\n\r\nFirst\tline\u200b of\u0007 text.\r\nSecond line\u2028Third line\n\n\n\n\u00adLast\ufeff.  ';
  const c = clean(raw);
  assert.equal(c.text, 'Title here\n\nFirst line of text.\nSecond line\nThird line\n\nLast.');
  assertRunsExact(raw, c);
  assertMonotone(c);
});

test('NFC composes decomposed accents; emoji sequences keep their joiners', () => {
  const raw = 'Cafe\u0301 de\u0301j\u00e0 ouvert 👩\u200d🔬 ici\u200d.';
  const c = clean(raw);
  assert.equal(c.text, 'Café déjà ouvert 👩\u200d🔬 ici.');
  assertRunsExact(raw, c);
  // The composed word maps back to the decomposed raw characters.
  const span = toRawSpan(c, 0, 4);
  assert.equal(raw.slice(span.start, span.end), 'Cafe\u0301');
  // Without characters to drop, words NFC leaves alone stay mapped one to one.
  const raw2 = 'Le cafe\u0301 du port  ouvre\tdemain matin';
  const c2 = clean(raw2);
  assert.equal(c2.text, 'Le café du port ouvre demain matin');
  assertRunsExact(raw2, c2);
  const i = c2.text.indexOf('du port');
  const s2 = toRawSpan(c2, i, i + 'du port'.length);
  assert.equal(raw2.slice(s2.start, s2.end), 'du port');
  assert.equal(toRaw(c2, i), raw2.indexOf('du port'));
});

test('toRawSpan shows a span in the original text', () => {
  const raw = 'Headline\r\nHeadline\r\n\r\nThe  minister   said the plan was "a disaster".\r\nShare on Facebook\r\nIt was not.';
  const c = clean(raw);
  const i = c.text.indexOf('"a disaster"');
  const span = toRawSpan(c, i, i + '"a disaster"'.length);
  assert.equal(raw.slice(span.start, span.end), '"a disaster"');
  const j = c.text.indexOf('minister said');
  const s2 = toRawSpan(c, j, j + 'minister said'.length);
  assert.equal(raw.slice(s2.start, s2.end), 'minister   said');
});

test('nearEqual matches headline variants but not different lines', () => {
  assert.ok(nearEqual('Storm hits coast', 'STORM HITS COAST.'));
  assert.ok(nearEqual('Western sanctions are backfiring', 'Western sanctions are backfiring | Daily Meridian'));
  assert.ok(nearEqual('Western sanctions are backfiring, says economist', 'Western sanctions are backfring, says economist'));
  assert.ok(!nearEqual('Storm hits coast', 'Storm hits coast of Verland, cutting power to thousands of homes on Monday night'));
  assert.ok(!nearEqual('The minister resigned', 'The minister did not resign'));
  assert.ok(!nearEqual('Spygate coverup', 'https://www.example-blog.test/spygate-coverup/'));
});

// Property tests over generated inputs: the offset map is exact whatever the input.
const pieces = fc.constantFrom(
  'a', 'b', 'Z', 'é', 'e\u0301', '\u0301', 'ß', 'Ж', '中', '😀', '👨\u200d👩\u200d👧', '\u{1d400}', '\ud83d', '\udc00',
  ' ', '  ', '\t', '\u00a0', '\n', '\n\n', '\n\n\n', '\r\n', '\r', '\r\n\r\n', '\u2028', '\u200b', '\ufeff', '\u0000', '\u0007', '\u00ad', '\u200d',
  '.', ',', '"', '«', '»', 'Share this article', 'Read more: elsewhere', 'Headline', 'Follow us on X', 'Subscribe to our newsletter',
);
const rawArb = fc.array(pieces, { maxLength: 60 }).map((xs) => xs.join(''));
const titleArb = fc.option(fc.constantFrom('Headline', 'a b', 'Read more'), { nil: undefined });

test('property: runs are exact copies, toRaw is monotone, the text is normalised', () => {
  fc.assert(
    fc.property(rawArb, titleArb, (raw, title) => {
      const c = clean(raw, { title });
      assertRunsExact(raw, c);
      assertMonotone(c);
      assertWellFormed(c);
      for (const r of c.removed) assert.ok(r.start >= 0 && r.end <= raw.length && r.start <= r.end);
    }),
    { numRuns: 1500 },
  );
});

test('property: any fully-unicode string keeps the invariants', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'binary', maxLength: 80 }), (raw) => {
      const c = clean(raw);
      assertRunsExact(raw, c);
      assertMonotone(c);
      assertWellFormed(c);
    }),
    { numRuns: 1000 },
  );
});

test('property: every clean span maps back to a raw span that contains its copied text', () => {
  fc.assert(
    fc.property(rawArb, fc.nat(), fc.nat(), (raw, a, b) => {
      const c = clean(raw);
      if (!c.text.length) return;
      const s = a % (c.text.length + 1);
      const e = s + (b % (c.text.length - s + 1));
      const span = toRawSpan(c, s, e);
      assert.ok(span.start <= span.end);
      // Characters copied inside [s, e) are found in the raw span at their mapped places.
      for (const r of c.runs) {
        const from = Math.max(s, r.clean);
        const to = Math.min(e, r.clean + r.length);
        if (from >= to) continue;
        const rawFrom = r.raw + (from - r.clean);
        assert.ok(rawFrom >= span.start && rawFrom + (to - from) <= span.end);
      }
    }),
    { numRuns: 800 },
  );
});
