import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { fnv } from './hashing.ts';
import { TOKEN_PATTERN, tokenizeWithOffsets, wordTokens } from './tokenize.ts';
import { tokenHashes, wordTokenHashes, WORD_SEED } from './tokenhash.ts';

/** The tokenizer's regular expression, run as such: the reference for the hand-written scanner. */
function regexTokens(s: string): { text: string; start: number; end: number }[] {
  const re = new RegExp(TOKEN_PATTERN.source, TOKEN_PATTERN.flags);
  const out: { text: string; start: number; end: number }[] = [];
  let m: RegExpExecArray | null;
  while ((m = re.exec(s))) out.push({ text: m[0], start: m.index, end: m.index + m[0].length });
  return out;
}

const regexWords = (s: string) =>
  regexTokens(s).map((t) => {
    const l = t.text.toLowerCase();
    return l.indexOf('’') >= 0 ? l.replace(/’/g, "'") : l;
  });

/** The reference hashes: FNV of each lower-cased token string. */
const reference = (s: string) => regexWords(s).map((t) => fnv(t, WORD_SEED) | 0);

test('token hashes equal the hashes of the wordTokens strings, in any script and casing', () => {
  const texts = [
    'Don’t re-elect them! The HARBOUR-master’s report, 2026.',
    'Приморск: «Совет ОТКЛОНИЛ проект» — сказал эксперт.',
    'ΟΔΟΣ Σίσυφος ΣΟΦΟΣ. İstanbul’da İZMİR; Straße STRASSE',
    'emoji 😀😀 math 𝐀𝐁 circled Ⓐⓑ roman Ⅻ ﬀ — dashes -- and \'quotes\'',
    'a - b \' c ’ d-e-f g’’h i\'-j 1,000.5 ٣٤ 东京 東京都',
    '',
    '   \t\n\u00a0\u2028\ufeff ',
  ];
  for (const t of texts) {
    assert.deepEqual([...wordTokenHashes(t)], reference(t), t);
    assert.deepEqual(wordTokens(t), regexWords(t), t);
    assert.deepEqual(tokenizeWithOffsets(t), regexTokens(t), t);
  }
});

test('a range hashes like the sliced text, even when it cuts a surrogate pair or a word', () => {
  const t = 'x😀y Ab’cd-ef 𝐀𝐁 end';
  for (let a = 0; a <= t.length; a++) {
    for (let b = a; b <= t.length; b++) assert.deepEqual([...wordTokenHashes(t, a, b)], reference(t.slice(a, b)), `${a}-${b}`);
  }
});

test('token hashes, wordTokens and tokenizeWithOffsets match the regular expression on arbitrary Unicode strings (property)', () => {
  const alphabet = fc.constantFrom('a', 'Z', 'É', 'ß', 'İ', 'Σ', 'σ', "'", '’', '-', ' ', '\u00a0', '\u2028', '1', '٣', '😀', '𝐀', '\ud800', '\udc00', 'Ⓐ', '\u0308', ',', 'Ж', 'ǅ', 'K', '𐐀');
  fc.assert(
    fc.property(fc.array(alphabet, { maxLength: 16 }).map((a) => a.join('')), fc.string({ unit: 'binary', maxLength: 12 }), (s, u) => {
      for (const t of [s, u]) {
        assert.deepEqual([...wordTokenHashes(t)], reference(t));
        assert.deepEqual(wordTokens(t), regexWords(t));
        assert.deepEqual(tokenizeWithOffsets(t), regexTokens(t));
      }
    }),
    { numRuns: 3000, seed: 11 },
  );
});

test('the memo returns the same hashes as computing them afresh, for the document and its ranges', () => {
  const doc = 'First sentence here. Second one, with a Comma! Third?';
  const a = tokenHashes(doc);
  assert.deepEqual([...a], reference(doc));
  assert.equal(tokenHashes(doc), a);
  assert.deepEqual([...tokenHashes(doc, 21, 46)], reference(doc.slice(21, 46)));
  // a different document with the same ranges does not get the first one's hashes
  const other = 'Totally different words in this other text here.';
  assert.deepEqual([...tokenHashes(other, 21, 46)], reference(other.slice(21, 46)));
});
