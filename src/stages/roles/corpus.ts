/** Turns loaded SemEval-2025 subtask-1 data into training examples for the roles model. */
import type { Se25Language } from '../../corpora/semeval2025/index.ts';
import { docTokens, mentionFeatureStrings, sentenceAround, type DocTokens } from './features.ts';
import type { RoleExample } from './train.ts';

/** Mentions that could be located in their document; the others are counted in `skipped`. */
export function roleExamples(langs: Se25Language[]): { examples: RoleExample[]; skipped: number } {
  const examples: RoleExample[] = [];
  let skipped = 0;
  for (const l of langs) {
    const docs = new Map(l.documents.map((d) => [d.id, d]));
    const toks = new Map<string, DocTokens>();
    for (const m of l.mentions) {
      const doc = docs.get(m.docId);
      if (!doc || !m.span) {
        skipped++;
        continue;
      }
      let dt = toks.get(doc.id);
      if (!dt) toks.set(doc.id, (dt = docTokens(doc.text)));
      const [sentStart, sentEnd] = sentenceAround(doc.text, m.span.start, m.span.end);
      examples.push({
        lang: l.lang,
        row: { docId: m.docId, mention: m.mention, start: m.start, end: m.end, main: m.main, fine: m.fine },
        features: mentionFeatureStrings({ text: doc.text, start: m.span.start, end: m.span.end, sentStart, sentEnd }, dt),
        dt,
      });
    }
  }
  return { examples, skipped };
}
