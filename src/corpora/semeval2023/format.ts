/**
 * The SemEval-2023 Task 3 file formats, read and written exactly as the
 * organisers' scorers expect them (see ORGANIZERS-README.txt in the corpus).
 */

/** Python's `str.isspace()` set, used by `str.strip()`: what makes a line blank. */
const PY_SPACE = /^[\t\n\v\f\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$/;

/** True when Python's `line.strip()` would be empty (U+FEFF and U+200B are *not* blank). */
export function isPythonBlank(line: string): boolean {
  return PY_SPACE.test(line);
}

export interface ParagraphLine {
  /** 1-based line number in the article file (the organisers' paragraph id). */
  id: number;
  /** UTF-16 offsets of the line in the article text, without its newline. */
  start: number;
  end: number;
  text: string;
}

/**
 * Paragraphs as the organisers number them: split on "\n" only, number lines
 * from 1, keep the lines that are not blank by Python's rule.
 */
export function paragraphLines(text: string): ParagraphLine[] {
  const out: ParagraphLine[] = [];
  let start = 0;
  let id = 1;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const line = text.slice(start, end);
    if (!isPythonBlank(line)) out.push({ id, start, end, text: line });
    if (end === text.length) break;
    start = end + 1;
    id++;
  }
  return out;
}

/** Known misspellings in the gold files, mapped to the taxonomy's names. */
const LABEL_FIXES: Record<string, string> = {
  'Appeal_to_Fear-Prejudi-čce': 'Appeal_to_Fear-Prejudice',
};

export function fixLabel(label: string): string {
  return LABEL_FIXES[label] ?? label;
}

/** Article id from a file name such as `article123.txt`, or null. */
export function articleIdFromFile(name: string): string | null {
  const m = /^article(\d+)\.txt$/.exec(name.replace(/^.*[\\/]/, ''));
  return m ? m[1] : null;
}

// ---------- subtask 3 (paragraph labels) ----------

export interface ParagraphLabelRow {
  article: string;
  paragraph: number;
  labels: string[];
}

/**
 * Reads `id<TAB>paragraph<TAB>l1,l2,…` lines the way the official scorer does:
 * each line is right-stripped, two columns mean no labels.
 */
export function parseParagraphLabels(content: string, opts: { fixLabels?: boolean } = {}): ParagraphLabelRow[] {
  const rows: ParagraphLabelRow[] = [];
  const lines = content.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].replace(/\s+$/, '');
    if (line === '' && i === lines.length - 1) continue;
    if (line === '') continue;
    const cols = line.split('\t');
    if (cols.length < 2 || cols.length > 3) {
      throw new Error(`line ${i + 1}: expected 2 or 3 tab-separated columns, found ${cols.length}`);
    }
    const paragraph = Number(cols[1]);
    if (!Number.isInteger(paragraph)) throw new Error(`line ${i + 1}: paragraph id '${cols[1]}' is not an integer`);
    let labels = cols.length === 3 ? cols[2].split(',') : [];
    if (opts.fixLabels) labels = labels.map(fixLabel);
    rows.push({ article: cols[0], paragraph, labels });
  }
  return rows;
}

export function formatParagraphLabels(rows: ParagraphLabelRow[]): string {
  return rows.map((r) => `${r.article}\t${r.paragraph}\t${r.labels.join(',')}\n`).join('');
}

// ---------- subtask 3 spans ----------

export interface SpanLabelRow {
  article: string;
  technique: string;
  /** Code-point offsets, half-open. */
  start: number;
  end: number;
}

export function parseSpanLabels(content: string, opts: { fixLabels?: boolean } = {}): SpanLabelRow[] {
  const rows: SpanLabelRow[] = [];
  const lines = content.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].replace(/\s+$/, '');
    if (line === '') continue;
    const cols = line.split('\t');
    if (cols.length !== 4) throw new Error(`line ${i + 1}: expected 4 tab-separated columns, found ${cols.length}`);
    const start = Number(cols[2]);
    const end = Number(cols[3]);
    if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end < start) {
      throw new Error(`line ${i + 1}: bad offsets '${cols[2]}' '${cols[3]}'`);
    }
    rows.push({ article: cols[0], technique: opts.fixLabels ? fixLabel(cols[1]) : cols[1], start, end });
  }
  return rows;
}

export function formatSpanLabels(rows: SpanLabelRow[]): string {
  return rows.map((r) => `${r.article}\t${r.technique}\t${r.start}\t${r.end}\n`).join('');
}

// ---------- subtasks 1 and 2 (article labels) ----------

export interface ArticleLabelRow {
  article: string;
  labels: string[];
}

/** `id<TAB>label` (subtask 1) or `id<TAB>l1,l2,…` (subtask 2). */
export function parseArticleLabels(content: string): ArticleLabelRow[] {
  const rows: ArticleLabelRow[] = [];
  const lines = content.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].replace(/\s+$/, '').replace(/^\s+/, '');
    if (line === '') continue;
    const cols = line.split('\t').filter((c, j) => j === 0 || c !== '');
    if (cols.length > 2) throw new Error(`line ${i + 1}: expected 2 tab-separated columns, found ${cols.length}`);
    rows.push({ article: cols[0], labels: cols.length === 2 ? cols[1].split(',').map((s) => s.trim()).filter(Boolean) : [] });
  }
  return rows;
}

export function formatArticleLabels(rows: ArticleLabelRow[]): string {
  return rows.map((r) => `${r.article}\t${r.labels.join(',')}\n`).join('');
}
