import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { segment } from './index.ts';
import { tokenize, tokenizeReference } from './tokenize.ts';

const ARTICLE = [
  'Harbour Deal Collapses Amid Protests',
  '',
  'Dockworkers rejected the offer on Tuesday',
  '',
  'The port authority said on Tuesday that talks with Mr. Okafor had failed. "We tried," he said. Shares fell 3.5% in the U.S. market.',
  '',
  'What Comes Next',
  '',
  'Analysts expect a strike. Dr. Lina Berg, an economist, disagreed.',
].join('\n');

test('title, standfirst, sections under short unpunctuated headings', () => {
  const { segments } = segment(ARTICLE);
  assert.equal(segments.title?.text, 'Harbour Deal Collapses Amid Protests');
  assert.equal(segments.lede?.text, 'Dockworkers rejected the offer on Tuesday');
  assert.deepEqual(segments.paragraphs.map((p) => p.role), ['title', 'subtitle', 'body', 'heading', 'body']);
  assert.equal(segments.sections.length, 2);
  assert.equal(segments.sections[0]!.heading, null);
  assert.equal(segments.sections[1]!.heading?.text, 'What Comes Next');
  assert.deepEqual(segments.sections[1]!.paragraphs, [4]);
});

test('the metadata title marks the first line, also when the text repeats it with a full stop', () => {
  const text = 'Council Backs the Ferry Plan After a Long Night of Debate.\n\nThe council voted on Tuesday after a long debate. Nobody objected.';
  assert.equal(segment(text, { title: 'Council Backs the Ferry Plan After a Long Night of Debate' }).segments.title?.text, 'Council Backs the Ferry Plan After a Long Night of Debate.');
  assert.equal(segment(text, { title: 'Council Rejects the Plan' }).segments.title, null);
});

test('sentences respect titles, initials and quotes', () => {
  const { segments } = segment(ARTICLE);
  const body = segments.sentences.filter((s) => s.paragraph === 2).map((s) => s.text);
  assert.deepEqual(body, [
    'The port authority said on Tuesday that talks with Mr. Okafor had failed.',
    '"We tried," he said.',
    'Shares fell 3.5% in the U.S. market.',
  ]);
  const last = segments.sentences.filter((s) => s.paragraph === 4).map((s) => s.text);
  assert.deepEqual(last, ['Analysts expect a strike.', 'Dr. Lina Berg, an economist, disagreed.']);
});

test('a closing quote after the full stop stays with its sentence', () => {
  const { segments } = segment('Opening line here\n\nShe said: “It is over.” Then she left. “Really?” he asked.');
  assert.deepEqual(
    segments.sentences.filter((s) => s.paragraph === 1).map((s) => s.text),
    ['She said: “It is over.”', 'Then she left.', '“Really?” he asked.'],
  );
});

test('hard-wrapped lines are one paragraph', () => {
  const text = 'A title for this\n\nThe minister said that the budget would be cut by a large\namount next year, and nobody objected.';
  const { segments } = segment(text);
  assert.equal(segments.paragraphs.length, 2);
  assert.match(segments.paragraphs[1]!.text, /large\namount/);
});

test('possessive s is its own token, apostrophes inside words stay', () => {
  const t = "O'Brien's plan won't pass";
  const toks = tokenize(t).map((x) => t.slice(x.start, x.end));
  assert.deepEqual(toks, ["O'Brien", "'s", 'plan', "won't", 'pass']);
});

test('emoji and astral characters are whole tokens', () => {
  const t = 'Fans 😀 cheered 𝒜 loudly';
  const toks = tokenize(t).map((x) => t.slice(x.start, x.end));
  assert.deepEqual(toks, ['Fans', '😀', 'cheered', '𝒜', 'loudly']);
});

// Property: whatever the input, every span is exact and in order.
const piece = fc.oneof(
  fc.constantFrom('The', 'minister', 'said', 'Mr.', 'U.S.', '“', '”', '"', "'s", '.', '!', '?', ',', ':', '😀', '👩‍👩‍👧', '𝒜', 'é', 'שלום', 'مرحبا', '\n', '\n\n', ' ', '  ', '\t', '…', '—', '3.5%', 'https://a.example/x'),
  fc.string({ unit: 'grapheme', maxLength: 6 }),
);
const textArb = fc.array(piece, { maxLength: 80 }).map((a) => a.join(' '));

test('property: every span satisfies text.slice(start, end) === span.text', () => {
  fc.assert(
    fc.property(textArb, (text) => {
      const { segments, tokens } = segment(text);
      const spans = [
        ...segments.paragraphs,
        ...segments.sentences,
        ...segments.sections,
        ...segments.sections.flatMap((s) => (s.heading ? [s.heading] : [])),
        ...(segments.title ? [segments.title] : []),
        ...(segments.lede ? [segments.lede] : []),
      ];
      for (const s of spans) {
        assert.ok(s.start >= 0 && s.start <= s.end && s.end <= text.length);
        assert.equal(text.slice(s.start, s.end), s.text);
      }
      let prev = 0;
      for (const t of tokens) {
        assert.ok(t.start >= prev && t.end > t.start && t.end <= text.length, 'tokens in order, non-empty');
        // never split a surrogate pair
        assert.ok(!/[\uDC00-\uDFFF]/.test(text[t.start]!), 'token does not start inside a surrogate pair');
        prev = t.end;
        const sent = segments.sentences[t.sentence]!;
        assert.ok(t.start >= sent.start && t.end <= sent.end, 'token inside its sentence');
      }
      // every non-space character is covered by a token
      const covered = tokens.reduce((n, t) => n + (t.end - t.start), 0);
      assert.equal(covered, text.replace(/\s/g, '').length);
    }),
    { numRuns: 300 },
  );
});

// The scanner's ASCII fast paths must give exactly the tokens of the expression that defines them.
const tokenPiece = fc.oneof(
  fc.constantFrom(
    'U.S.', 'e.g.', 'a.b.c', 'A.', 'x.', 'http://a.example/b.', 'https://x.example/y?z=1)', 'httpx', 'h', "O'Brien's", "won't", 'rock’n’roll', "Smiths'", "''", '``', '`', "'",
    '--', '-', '—', '–', '...', '..', '.', '…', '3.5%', '12,000', '10:30', '1/2', '5km', '5kms', '5é', '²', '٣', '42', 'a1b2', 'x-ray', 'pro-Russian', 'co-op-',
    '$', '+', '=', '<', '>', '^', '|', '~', '#', '@', '_', '\\', '{', '}', '(', ')', '[', ']', '"', '“', '”', '«', '»', '\u00a0', '\u2009', '\u3000', '\t', '\n', '\u000b', '\u0001',
    'naïve', 'Ångström', 'e\u0301', '😀', '𝒜bc', '\ud800', 'Σ', 'İstanbul', 'ß',
  ),
  fc.string({ unit: 'binary', maxLength: 4 }),
);
const tokenText = fc.array(tokenPiece, { maxLength: 30 }).chain((parts) => fc.array(fc.constantFrom('', ' ', '  ', '\n'), { minLength: parts.length, maxLength: parts.length }).map((seps) => parts.map((p, i) => p + seps[i]).join('')));

test('property: the fast tokenizer gives the tokens of its defining expression', () => {
  fc.assert(
    fc.property(tokenText, fc.nat(), fc.nat(), (text, a, b) => {
      assert.deepEqual(tokenize(text), tokenizeReference(text));
      // Sub-ranges too (segment tokenizes one paragraph at a time).
      const from = text.length ? a % text.length : 0;
      const to = from + (text.length - from ? b % (text.length - from + 1) : 0);
      assert.deepEqual(tokenize(text, from, to), tokenizeReference(text, from, to));
    }),
    { numRuns: 2000 },
  );
});
