import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { segment } from '../../segment/index.ts';
import type { Analysis, Quote } from '../../document/types.ts';
import type { StageInput } from '../../document/stage.ts';
import { MODEL_PATH } from './model.ts';
import { runTechniques, techniquesStage } from './index.ts';

const skip = existsSync(MODEL_PATH) ? false : 'models/techniques/techniques.json not built; run unspin train techniques';

function input(text: string, quotes: Quote[] = [], language = 'en'): StageInput {
  const { segments, tokens } = segment(text);
  const analysis = { quotes, segments, document: { text, language } } as unknown as Analysis;
  return { text, language, segments, tokens, analysis };
}

// Invented article: a neutral title, one neutral paragraph, one paragraph in the outlet's
// own heavily loaded voice, and one paragraph whose loaded words sit inside a quotation.
const TEXT = [
  'Council votes on Lindenfeld harbour budget',
  '',
  'The council of Lindenfeld met on Tuesday to vote on the harbour budget for next year.',
  '',
  'This disgraceful, corrupt gang of shameless crooks is ruthlessly destroying our beautiful town with its idiotic, disastrous schemes.',
  '',
  '"This shameless, corrupt gang of crooks is ruthlessly destroying our beautiful town with idiotic, disastrous schemes," Councillor Mira Olsen said.',
].join('\n');

test('the stage declares its contract', () => {
  assert.equal(techniquesStage.name, 'techniques');
  assert.deepEqual(techniquesStage.requires, ['segments', 'quotes']);
  assert.deepEqual(techniquesStage.assigns, ['techniques', 'paragraphTechniques']);
});

test('a loaded paragraph gets Loaded_Language, the neutral one gets nothing, and every span is exact', { skip }, () => {
  const inp = input(TEXT);
  const out = runTechniques(inp);
  const spans = out.layers.techniques as Analysis['techniques'];
  const paras = out.layers.paragraphTechniques as Analysis['paragraphTechniques'];
  assert.equal(paras.length, inp.segments.paragraphs.length);
  const names = (i: number) => paras[i].techniques.map((t) => t.technique);
  assert.deepEqual(names(1), []);
  assert.ok(names(2).includes('Loaded_Language'), `got ${names(2)}`);
  for (const s of spans) {
    assert.equal(TEXT.slice(s.start, s.end), s.text);
    assert.ok(s.confidence > 0 && s.confidence <= 1);
    const para = inp.segments.paragraphs[s.paragraph];
    assert.ok(s.start >= para.start && s.end <= para.end);
  }
  const loaded = spans.filter((s) => s.technique === 'Loaded_Language' && s.paragraph === 2);
  assert.ok(loaded.length > 0);
  // without a quotes layer everything is the outlet's voice
  assert.ok(spans.every((s) => s.voice === 'outlet'));
});

test('loaded words inside a direct quote carry the quote voice', { skip }, () => {
  const open = TEXT.indexOf('"This');
  const close = TEXT.lastIndexOf('"') + 1;
  const q: Quote = {
    id: 'q1',
    kind: 'direct',
    start: open,
    end: close,
    text: TEXT.slice(open, close),
    parts: [{ start: open, end: close, text: TEXT.slice(open, close) }],
    cue: null,
    speaker: { name: 'Mira Olsen', entity: null, mention: null, type: 'person', resolved: false },
  };
  const out = runTechniques(input(TEXT, [q]));
  const spans = out.layers.techniques as Analysis['techniques'];
  const inQuote = spans.filter((s) => s.start >= open && s.end <= close);
  assert.ok(inQuote.length > 0, 'expected a technique inside the quotation');
  for (const s of inQuote) {
    assert.equal(s.voice, 'direct_quote');
    assert.equal(s.quote, 'q1');
  }
  for (const s of spans.filter((s) => s.end <= open)) assert.equal(s.voice, 'outlet');
});

test('an untrained language is flagged with a diagnostic, not an error', { skip }, () => {
  const out = runTechniques(input('Titular\n\nUn texto corto sobre el puerto.', [], 'es'));
  assert.ok(out.diagnostics?.some((d) => d.code === 'language-untrained'));
});

test('the span tagger fast path scores every token as the reference row-by-row decision does', { skip }, async () => {
  const { techniquesModel } = await import('./model.ts');
  const { tokenContext } = await import('./spans.ts');
  const tagger = techniquesModel().tagger!;
  const L = tagger.model.labels.length;
  const all = Array.from({ length: L }, (_, l) => l);
  const paras = TEXT.split('\n').filter(Boolean);
  const counts = new Map<string, number>([['harbour', 3], ['council', 5], ['shameless', 2]]);
  for (const rep of [0, 1]) {
    for (const p of paras) {
      const ctx = tokenContext(p, counts);
      const fast = tagger.tokenProbsFor(ctx, all);
      for (let i = 0; i < ctx.tokens.length; i++) {
        const z = tagger.model.decision(tagger.row(tokenContext(p, counts), i));
        for (let l = 0; l < L; l++) assert.ok(Math.abs(fast[l][i] - 1 / (1 + Math.exp(-z[l]))) < 1e-9, `pass ${rep} token ${i} label ${l}`);
      }
    }
  }
});
