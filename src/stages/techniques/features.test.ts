import { test } from 'node:test';
import assert from 'node:assert/strict';
import { wordTokens } from '../../ml/tokenize.ts';
import { articleCounts, denseFeatures, loadCues } from './features.ts';

/** Multi-token cue counts the way the first version found them: repeated search of ` cue ` in the joined tokens. */
function joinedCounts(tokens: string[]): number[] {
  const cues = loadCues();
  const counts = new Array<number>(cues.names.length).fill(0);
  const joined = ` ${tokens.join(' ')} `;
  for (const m of cues.multi) {
    const needle = ` ${m.tokens.join(' ')} `;
    let from = 0;
    while ((from = joined.indexOf(needle, from)) >= 0) {
      counts[m.list]++;
      from += needle.length - 1;
    }
  }
  return counts;
}

function singleCounts(tokens: string[]): number[] {
  const cues = loadCues();
  const counts = new Array<number>(cues.names.length).fill(0);
  for (const t of tokens) for (const li of cues.single.get(t) ?? []) counts[li]++;
  return counts;
}

const CAPS = /\b\p{Lu}{2,}\b/gu;

test('cue counts and the all-caps count match the plain searches, with repeated and overlapping cues', () => {
  // invented paragraphs: chained and overlapping multi-word cues, capitals in several scripts
  const paras = [
    'End of story, end of story. It is what it is, it is what it is what it is. And yet, and yet and yet.',
    'What about what about the harbour? Where was the council, where were they? Move on, move on; simple as that.',
    'The so-called EXPERT said NATO and the UN were wrong — “NO WAY” — but nothing more, end of end of story.',
    'ÉLAN and ÅSA are ΟΔΟΣ names; ПРАВДА is Russian; Ⓐ is circled; ÀB.',
    'lower case only, with “curly quotes” and ’apostrophes’ and a dash — nothing else',
    'A B C single capitals only. I am here.',
  ];
  const toks = paras.map((p) => wordTokens(p));
  const counts = articleCounts(toks);
  const nNames = loadCues().names.length;
  paras.forEach((text, i) => {
    const f = denseFeatures(text, toks[i], { position: i, count: paras.length, lang: 'en', articleCounts: counts, meanTokens: 20 });
    const cueFeatures = f.slice(f.length - nNames);
    const single = singleCounts(toks[i]);
    const multi = joinedCounts(toks[i]);
    assert.deepEqual(cueFeatures, single.map((s, k) => Math.log1p(s + multi[k])), text);
    let caps = 0;
    CAPS.lastIndex = 0;
    while (CAPS.exec(text)) caps++;
    assert.equal(f[7], Math.log1p(caps), text);
  });
  // the chained cues were counted at all (the test exercises the multi-token path)
  assert.ok(joinedCounts(toks[0]).some((c) => c >= 2));
});
