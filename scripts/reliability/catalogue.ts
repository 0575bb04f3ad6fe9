/**
 * The whole bad-input catalogue, the heavy cases included (100,000-level
 * nesting, 2 MB text, 5 MB HTML, 20,000 unclosed tags), through `ingest` and
 * `analyze`, with the time each took. npm test runs the light cases
 * (test/reliability/bad-input.test.ts).
 *
 *   node --import tsx scripts/reliability/catalogue.ts [--only <name part>]
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ingest, isIngestError } from '../../src/article/index.ts';
import { analyze } from '../../src/pipeline.ts';
import { CATALOGUE } from '../../test/reliability/catalogue.ts';
import { analysisProblems } from '../../test/reliability/helpers.ts';

const { values } = parseArgs({ options: { only: { type: 'string' } } });
const dir = mkdtempSync(join(tmpdir(), 'unspin-catalogue-'));
let failures = 0;
try {
  for (const c of CATALOGUE) {
    if (values.only && !c.name.includes(values.only)) continue;
    const path = join(dir, c.file);
    const bytes = c.bytes();
    writeFileSync(path, bytes);
    const t0 = performance.now();
    let outcome: string;
    let ok: boolean;
    let tIngest = 0;
    try {
      const article = await ingest(path);
      tIngest = performance.now() - t0;
      const a = analyze(article);
      const problems = analysisProblems(a);
      const missing = (c.contains ?? []).filter((s) => !a.document.text.includes(s));
      ok = c.expect === 'analysis' && !problems.length && !missing.length;
      outcome = `analysis, ${a.document.text.length} chars, ${a.segments.sentences.length} sentences${problems.length ? `; PROBLEMS: ${problems.join('; ')}` : ''}${missing.length ? `; MISSING ${missing.join(', ')}` : ''}`;
    } catch (err) {
      tIngest = performance.now() - t0;
      ok = isIngestError(err) && err.code === c.expect;
      outcome = isIngestError(err) ? `IngestError '${err.code}': ${err.message}` : `CRASH ${(err as Error)?.name}: ${(err as Error)?.message}`;
    }
    const total = performance.now() - t0;
    if (!ok) failures++;
    console.log(`${ok ? 'ok  ' : 'FAIL'} ${c.name} (${(bytes.length / 1024).toFixed(0)} KB): ${outcome} — ingest ${(tIngest / 1000).toFixed(1)} s, total ${(total / 1000).toFixed(1)} s`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log(failures ? `${failures} case(s) failed` : 'every case gave a correct analysis or the expected error');
process.exit(failures ? 1 : 0);
