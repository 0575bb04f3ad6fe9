import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { analyzeText } from '../../pipeline.ts';
import { ARTICLE_MODEL_LANGUAGES, framesModel, framesStage } from './index.ts';
import { predictTask2 } from './semeval.ts';

const read = (name: string) => readFileSync(new URL(`./testdata/${name}`, import.meta.url), 'utf8');
const FRAMES = [
  'Economic', 'Capacity_and_resources', 'Morality', 'Fairness_and_equality', 'Legality_Constitutionality_and_jurisprudence',
  'Policy_prescription_and_evaluation', 'Crime_and_punishment', 'Security_and_defense', 'Health_and_safety', 'Quality_of_life',
  'Cultural_identity', 'Public_opinion', 'Political', 'External_regulation_and_reputation',
];

test('the committed frames model loads and covers every language the stage declares', () => {
  const m = framesModel();
  assert.deepEqual(m.labels, FRAMES);
  assert.deepEqual(m.languages, [...ARTICLE_MODEL_LANGUAGES].sort());
  assert.match(m.id, /^frames@\d+/);
});

test('an article about military threats gets Security_and_defense, with real sentences as evidence', () => {
  const a = analyzeText(read('military-threat.txt'), { language: 'en' }, { stages: [framesStage] });
  const names = a.frames.map((f) => f.frame);
  assert.ok(names.includes('Security_and_defense'), `frames: ${names.join(', ')}`);
  assert.equal(a.models.frames, framesModel().id);
  const sentences = new Set(a.segments.sentences.map((s) => `${s.start}:${s.end}`));
  for (const f of a.frames) {
    assert.ok(f.confidence > 0 && f.confidence <= 1);
    assert.ok(f.evidence.length >= 1 && f.evidence.length <= 3, `${f.frame} cites ${f.evidence.length} sentences`);
    for (const e of f.evidence) {
      assert.equal(a.document.text.slice(e.start, e.end), e.text);
      assert.ok(sentences.has(`${e.start}:${e.end}`), `evidence [${e.start}, ${e.end}) is not a sentence of the segmenter`);
      assert.ok(e.weight > 0);
    }
    const w = f.evidence.map((e) => e.weight);
    assert.deepEqual(w, [...w].sort((x, y) => y - x), 'strongest evidence first');
  }
  // frames come strongest first
  const c = a.frames.map((f) => f.confidence);
  assert.deepEqual(c, [...c].sort((x, y) => y - x));
  const sec = a.frames.find((f) => f.frame === 'Security_and_defense')!;
  assert.ok(sec.evidence.some((e) => /military|missile|army|troops|defence/i.test(e.text)), 'the cited sentences talk about the military');
});

test('a language without a model is skipped with a diagnostic, not guessed', () => {
  const a = analyzeText('Kaupunginvaltuusto kokoontui maanantaina. Se päätti nostaa pysäköintimaksuja.', { language: 'fi' }, { stages: [framesStage] });
  assert.deepEqual(a.frames, []);
  const d = a.diagnostics.find((x) => x.stage === 'frames');
  assert.equal(d?.code, 'language-unsupported');
});

test('task 2 predictions accept corpus language codes and use the official label strings', () => {
  const text = read('military-threat.txt');
  const viaCorpusCode = predictTask2(text, 'en');
  assert.ok(viaCorpusCode.includes('Security_and_defense'));
  for (const f of viaCorpusCode) assert.ok(FRAMES.includes(f));
  assert.deepEqual(viaCorpusCode, [...viaCorpusCode].sort((a, b) => FRAMES.indexOf(a) - FRAMES.indexOf(b)));
  // German corpus folder 'ge' maps to ISO 'de', Polish 'po' to 'pl'
  assert.doesNotThrow(() => predictTask2('Die Regierung hat am Montag neue Gesetze beschlossen.', 'ge'));
  assert.doesNotThrow(() => predictTask2('Rząd przyjął w poniedziałek nowe przepisy.', 'po'));
  assert.throws(() => predictTask2('Hallitus hyväksyi uudet lait.', 'fi'), /no model for language 'fi'/);
});
