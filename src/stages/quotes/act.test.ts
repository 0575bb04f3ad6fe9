import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Quote } from '../../document/types.ts';
import { segment } from '../../segment/index.ts';
import { entities, quoteWith, type Spec } from './fixtures.ts';
import { findQuotes } from './index.ts';
import { actOf } from './act.ts';

function run(text: string, specs: Spec[] = []): Quote[] {
  const { segments, tokens } = segment(text);
  return findQuotes({ text, segments, tokens, entities: entities(text, specs) });
}

const span = (text: string) => ({ start: 0, end: text.length, text });
const nobody = { name: null, entity: null, mention: null, type: 'unknown' as const, resolved: false };

test('a belief is a thought, what was said is speech, what a poll shows is evidence', () => {
  const text = [
    'Harbourline mayor Dara Pell said the ferry contract would be signed in May.',
    '',
    'Pell believes the new terminal will double the number of visitors by 2030.',
    '',
    'Only 41 percent of residents back the plan, a new poll by the Keldra Institute shows.',
  ].join('\n');
  const quotes = run(text, [{ id: 'e1', name: 'Dara Pell', aliases: ['Pell'], descriptors: ['Harbourline mayor'] }]);
  assert.equal(quoteWith(quotes, 'ferry contract').act, 'speech');
  assert.equal(quoteWith(quotes, 'double the number').act, 'thought');
  assert.equal(quoteWith(quotes, '41 percent').act, 'evidence');
});

test('a quotation is speech, whatever its cue', () => {
  const text = '"We will not give up the harbour," Pell said on Tuesday.';
  const quotes = run(text, [{ id: 'e1', name: 'Pell' }]);
  assert.equal(quoteWith(quotes, 'give up the harbour').act, 'speech');
});

test('a speech verb beside a word of thought reports speech; showing by a speaker is speech', () => {
  const said = actOf({ kind: 'indirect', cue: span('said he believes'), source: span('He'), speaker: { ...nobody, type: 'person' } });
  assert.equal(said, 'speech');
  const hope = actOf({ kind: 'indirect', cue: span('expressed hope'), source: span('She'), speaker: { ...nobody, type: 'person' } });
  assert.equal(hope, 'speech');
  const revealed = actOf({ kind: 'indirect', cue: span('revealed'), source: span('the minister'), speaker: { ...nobody, type: 'person' } });
  assert.equal(revealed, 'speech');
  const figures = actOf({ kind: 'indirect', cue: span('revealed'), source: span('the figures'), speaker: { ...nobody, mention: span('the figures') } });
  assert.equal(figures, 'evidence');
});

test('a document source is evidence, a person with a document word in the title is not', () => {
  const study = actOf({ kind: 'indirect', cue: span('according to'), source: span('a study conducted by the Keldra Institute'), speaker: nobody });
  assert.equal(study, 'evidence');
  const commissioner = actOf({
    kind: 'indirect',
    cue: span('said'),
    source: span('Data Protection Commissioner Ann Roe'),
    speaker: { name: 'Ann Roe', entity: 'e1', mention: span('Ann Roe'), type: 'person', resolved: true },
  });
  assert.equal(commissioner, 'speech');
  const statement = actOf({ kind: 'indirect', cue: span('according to'), source: span('a statement from the ministry'), speaker: nobody });
  assert.equal(statement, 'speech');
});

test('wanting and fearing are thoughts; a cue that reports no act at all is other', () => {
  assert.equal(actOf({ kind: 'indirect', cue: span('want'), source: span('Voters'), speaker: { ...nobody, type: 'group' } }), 'thought');
  assert.equal(actOf({ kind: 'indirect', cue: span('are frustrated'), source: span('officials'), speaker: { ...nobody, type: 'group' } }), 'thought');
  assert.equal(actOf({ kind: 'indirect', cue: span('sings'), source: span('the band'), speaker: nobody }), 'other');
  // Nominal cues: "concerns that …" is a thought, "in a statement" is speech.
  assert.equal(actOf({ kind: 'indirect', cue: span('raised concerns'), source: span('Residents'), speaker: { ...nobody, type: 'group' } }), 'speech');
  assert.equal(actOf({ kind: 'indirect', cue: span('concerns'), source: span('Residents’'), speaker: { ...nobody, type: 'group' } }), 'thought');
  assert.equal(actOf({ kind: 'indirect', cue: span('in a statement'), source: span('the ministry'), speaker: { ...nobody, type: 'organization' } }), 'speech');
});
