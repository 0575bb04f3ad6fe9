import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderReport } from './report.ts';
import { analyzeText } from '../pipeline.ts';

// Written for this test: a short invented report whose strongest sentences are quotations.
const text = [
  'Harbour Fees Rise Again',
  '',
  'The port authority of Velmora raised its fees on Monday for the third time this year.',
  '',
  '"The fees will drive shipping away from our coast and cost hundreds of jobs," said Ines Carvalho, who chairs the dockworkers\' union.',
].join('\n');

test('the report quotes an evidence sentence once, even when the sentence is itself a quotation', () => {
  const a = analyzeText(text);
  const quoted = a.segments.sentences.find((s) => s.text.startsWith('"'));
  assert.ok(quoted, 'the fixture has a sentence that opens with a quotation mark');
  const plain = a.segments.sentences.find((s) => s.text.startsWith('The port'));
  assert.ok(plain);
  const withEvidence = {
    ...a,
    frames: [
      { frame: 'Economic', confidence: 0.9, evidence: [{ start: quoted.start, end: quoted.end, text: quoted.text }] },
      { frame: 'Political', confidence: 0.5, evidence: [{ start: plain.start, end: plain.end, text: plain.text }] },
    ],
  } as typeof a;
  const lines = renderReport(withEvidence, { color: false, width: 200 }).split('\n');
  const economic = lines.find((l) => l.trim().startsWith('Economic'));
  const political = lines.find((l) => l.trim().startsWith('Political'));
  assert.ok(economic && political);
  assert.ok(economic.includes('"The fees will drive'), economic);
  assert.ok(!economic.includes('“"'), `no doubled opening mark: ${economic}`);
  assert.ok(political.includes('“The port authority'), `a plain sentence is put in quotation marks: ${political}`);
});
