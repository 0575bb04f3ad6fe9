/**
 * Language detection measured on the corpora's raw articles (which the
 * profiles were not built from): `node --import tsx src/language/eval.ts [corpora]`.
 * Prints accuracy per corpus language and the confusions. Exits 0 with a
 * message when the corpora are absent.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { detectLanguage } from './detect.ts';
import { clean } from '../clean/index.ts';

const SETS: [string, string, string][] = [
  ['semeval2023-task3/en/train-articles-subtask-3', 'en', 'SemEval-2023 en'],
  ['semeval2023-task3/fr/train-articles-subtask-3', 'fr', 'SemEval-2023 fr'],
  ['semeval2023-task3/ge/train-articles-subtask-3', 'de', 'SemEval-2023 ge'],
  ['semeval2023-task3/it/train-articles-subtask-3', 'it', 'SemEval-2023 it'],
  ['semeval2023-task3/po/train-articles-subtask-3', 'pl', 'SemEval-2023 po'],
  ['semeval2023-task3/ru/train-articles-subtask-3', 'ru', 'SemEval-2023 ru'],
  ['semeval2025-task10/BG/raw-documents', 'bg', 'SemEval-2025 BG'],
  ['semeval2025-task10/EN/raw-documents', 'en', 'SemEval-2025 EN'],
  ['semeval2025-task10/HI/raw-documents', 'hi', 'SemEval-2025 HI'],
  ['semeval2025-task10/PT/raw-documents', 'pt', 'SemEval-2025 PT'],
  ['semeval2025-task10/RU/raw-documents', 'ru', 'SemEval-2025 RU'],
];

const here = fileURLToPath(new URL('.', import.meta.url));
const root = resolve(process.argv[2] ?? join(here, '../../../shared/corpora'));
if (!existsSync(root)) {
  console.log(`skipped: corpora not found at ${root}`);
  process.exit(0);
}
let total = 0;
let paraTotal = 0;
let paraOk = 0;
let paraUnd = 0;
let right = 0;
const removed = new Map<string, number>();
for (const [dir, gold, name] of SETS) {
  const path = join(root, dir);
  if (!existsSync(path)) {
    console.log(`${name.padEnd(18)} missing`);
    continue;
  }
  const files = readdirSync(path).filter((f) => f.endsWith('.txt'));
  const got = new Map<string, number>();
  let ok = 0;
  let pTotal = 0;
  let pOk = 0;
  let pUnd = 0;
  for (const f of files) {
    const c = clean(readFileSync(join(path, f), 'utf8'));
    for (const r of c.removed) removed.set(r.reason, (removed.get(r.reason) ?? 0) + 1);
    const g = detectLanguage(c.text).language;
    got.set(g, (got.get(g) ?? 0) + 1);
    if (g === gold) ok++;
    // Single paragraphs of 80-300 characters: the hard case (a lede, a quote).
    for (const para of c.text.split('\n').filter((l) => l.length >= 80 && l.length <= 300).slice(0, 10)) {
      const p = detectLanguage(para).language;
      pTotal++;
      if (p === gold) pOk++;
      else if (p === 'und') pUnd++;
    }
  }
  paraTotal += pTotal;
  paraOk += pOk;
  paraUnd += pUnd;
  total += files.length;
  right += ok;
  const wrong = [...got].filter(([l]) => l !== gold).map(([l, n]) => `${l}×${n}`).join(' ');
  const pct = (a: number, b: number) => (100 * a / Math.max(1, b)).toFixed(1).padStart(5) + '%';
  console.log(`${name.padEnd(18)} articles ${String(ok).padStart(4)}/${String(files.length).padEnd(4)} ${pct(ok, files.length)}  paragraphs ${pct(pOk, pTotal)} right, ${pct(pUnd, pTotal)} und (${pTotal})  ${wrong}`);
}
console.log(`${'all'.padEnd(18)} articles ${String(right).padStart(4)}/${String(total).padEnd(4)} ${(100 * right / Math.max(1, total)).toFixed(1).padStart(5)}%  paragraphs ${(100 * paraOk / Math.max(1, paraTotal)).toFixed(1)}% right, ${(100 * paraUnd / Math.max(1, paraTotal)).toFixed(1)}% und (${paraTotal})`);
console.log(`clean removed: ${[...removed].sort((a, b) => b[1] - a[1]).map(([r, n]) => `${r} ${n}`).join(', ')}`);
