import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Quote } from '../../document/types.ts';
import { voiceOf } from './voice.ts';

const text = 'The mayor of Lindenfeld said the plan was "a reckless betrayal" of residents, and aides said it would ruin the harbour.';

function quote(id: string, kind: Quote['kind'], start: number, end: number): Quote {
  return {
    id,
    kind,
    start,
    end,
    text: text.slice(start, end),
    parts: [{ start, end, text: text.slice(start, end) }],
    cue: null,
    speaker: { name: null, entity: null, mention: null, type: 'unknown', resolved: false },
  };
}

const at = (s: string) => ({ start: text.indexOf(s), end: text.indexOf(s) + s.length });

test('no quotes layer means the outlet speaks', () => {
  assert.deepEqual(voiceOf(text, at('reckless betrayal'), undefined), { voice: 'outlet', quote: null });
  assert.deepEqual(voiceOf(text, at('reckless betrayal'), []), { voice: 'outlet', quote: null });
});

test('a span inside a direct quote, inside reported speech, and outside any quote', () => {
  const direct = at('"a reckless betrayal"');
  const reported = at('it would ruin the harbour');
  const quotes = [quote('q1', 'direct', direct.start, direct.end), quote('q2', 'indirect', reported.start, reported.end)];
  assert.deepEqual(voiceOf(text, at('reckless betrayal'), quotes), { voice: 'direct_quote', quote: 'q1' });
  assert.deepEqual(voiceOf(text, at('ruin'), quotes), { voice: 'reported_speech', quote: 'q2' });
  assert.deepEqual(voiceOf(text, at('The mayor'), quotes), { voice: 'outlet', quote: null });
});

test('in a mixed quote, words inside quotation marks are direct, the paraphrase is reported', () => {
  const mixed = at('the plan was "a reckless betrayal" of residents');
  const quotes = [quote('q1', 'mixed', mixed.start, mixed.end)];
  assert.equal(voiceOf(text, at('reckless betrayal'), quotes).voice, 'direct_quote');
  assert.equal(voiceOf(text, at('the plan was'), quotes).voice, 'reported_speech');
});

test('a span that only grazes a quote stays in the outlet voice', () => {
  const direct = at('"a reckless betrayal"');
  const span = { start: text.indexOf('said the plan'), end: direct.start + 3 };
  assert.equal(voiceOf(text, span, [quote('q1', 'direct', direct.start, direct.end)]).voice, 'outlet');
});
