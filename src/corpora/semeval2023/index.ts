/**
 * Loader for the SemEval-2023 Task 3 corpus (genre, frames, persuasion
 * techniques) in every language it ships. Offsets are converted from the
 * corpus's code points to UTF-16 on load; nothing is copied anywhere.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { codePointToUtf16Map, cpToUtf16 } from '../offsets.ts';
import {
  articleIdFromFile,
  paragraphLines,
  parseArticleLabels,
  parseParagraphLabels,
  parseSpanLabels,
  type ParagraphLine,
} from './format.ts';

export * from './format.ts';

export const SEMEVAL2023_LANGUAGES = ['en', 'fr', 'ge', 'it', 'po', 'ru'] as const;
export type Semeval2023Lang = (typeof SEMEVAL2023_LANGUAGES)[number];

/** Corpus language code → ISO 639-1. */
export const SEMEVAL2023_ISO: Record<string, string> = { en: 'en', fr: 'fr', ge: 'de', it: 'it', po: 'pl', ru: 'ru' };

export interface TechniqueSpanLabel {
  technique: string;
  /** UTF-16 offsets into `text`. */
  start: number;
  end: number;
  /** The corpus's code-point offsets. */
  cpStart: number;
  cpEnd: number;
}

export interface Semeval2023Article {
  id: string;
  lang: string;
  text: string;
  /** Non-blank lines, numbered as the organisers do. */
  paragraphs: ParagraphLine[];
  /** Subtask 3 gold per paragraph id (only for subtask 3 articles). */
  paragraphLabels?: Map<number, string[]>;
  /** Subtask 3 span gold (only for subtask 3 articles). */
  spans?: TechniqueSpanLabel[];
  /** Subtask 1 label: reporting | opinion | satire. */
  genre?: string;
  /** Subtask 2 labels. */
  frames?: string[];
}

export interface LoadOptions {
  /** Which article folder to read: 1, 2 or 3 (default 3). Labels of every subtask are attached where known. */
  subtask?: 1 | 2 | 3;
  split?: 'train' | 'dev' | 'test';
}

/** The corpus root: accepts `…/corpora` or `…/corpora/semeval2023-task3`. */
export function semeval2023Root(dataDir: string): string {
  const inner = join(dataDir, 'semeval2023-task3');
  return existsSync(inner) ? inner : dataDir;
}

function readLines(file: string): string[] {
  return readFileSync(file, 'utf8').split('\n').map((l) => l.replace(/\s+$/, '')).filter(Boolean);
}

/** The 23 technique names (taxonomy order). */
export function techniqueNames(dataDir: string): string[] {
  return readLines(join(semeval2023Root(dataDir), 'labels', 'techniques.txt'));
}

/** The 14 frame names. */
export function frameNames(dataDir: string): string[] {
  return readLines(join(semeval2023Root(dataDir), 'labels', 'frames.txt'));
}

/** Reads `article<ID>.txt` files of a folder, sorted by id (numeric). */
export function readArticleDir(dir: string): { id: string; text: string }[] {
  const out: { id: string; text: string }[] = [];
  for (const name of readdirSync(dir)) {
    const id = articleIdFromFile(name);
    if (id === null) continue;
    out.push({ id, text: readFileSync(join(dir, name), 'utf8') });
  }
  out.sort((a, b) => (a.id.length - b.id.length) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return out;
}

/** Loads one language. Throws when the folder is missing. */
export function loadSemeval2023(dataDir: string, lang: string, opts: LoadOptions = {}): Semeval2023Article[] {
  const root = join(semeval2023Root(dataDir), lang);
  const split = opts.split ?? 'train';
  const subtask = opts.subtask ?? 3;
  const artDir = join(root, `${split}-articles-subtask-${subtask}`);
  if (!existsSync(artDir)) throw new Error(`no such folder: ${artDir}`);
  const raw = readArticleDir(artDir);

  const genre = new Map<string, string>();
  const g = join(root, `${split}-labels-subtask-1.txt`);
  if (existsSync(g)) for (const r of parseArticleLabels(readFileSync(g, 'utf8'))) genre.set(r.article, r.labels[0] ?? '');
  const frames = new Map<string, string[]>();
  const f = join(root, `${split}-labels-subtask-2.txt`);
  if (existsSync(f)) for (const r of parseArticleLabels(readFileSync(f, 'utf8'))) frames.set(r.article, r.labels);

  let paraGold: Map<string, Map<number, string[]>> | null = null;
  const p = join(root, `${split}-labels-subtask-3.txt`);
  if (subtask === 3 && existsSync(p)) {
    paraGold = new Map();
    for (const r of parseParagraphLabels(readFileSync(p, 'utf8'), { fixLabels: true })) {
      let m = paraGold.get(r.article);
      if (!m) paraGold.set(r.article, (m = new Map()));
      m.set(r.paragraph, r.labels);
    }
  }
  const spanDir = join(root, `${split}-labels-subtask-3-spans`);
  const hasSpans = subtask === 3 && existsSync(spanDir);

  return raw.map(({ id, text }) => {
    const art: Semeval2023Article = { id, lang, text, paragraphs: paragraphLines(text) };
    if (genre.has(id)) art.genre = genre.get(id);
    if (frames.has(id)) art.frames = frames.get(id);
    if (paraGold) art.paragraphLabels = paraGold.get(id) ?? new Map();
    if (hasSpans) {
      const file = join(spanDir, `article${id}-labels-subtask-3.txt`);
      const rows = existsSync(file) ? parseSpanLabels(readFileSync(file, 'utf8'), { fixLabels: true }) : [];
      const map = codePointToUtf16Map(text);
      art.spans = rows.map((r) => ({
        technique: r.technique,
        start: cpToUtf16(map, r.start),
        end: cpToUtf16(map, r.end),
        cpStart: r.start,
        cpEnd: r.end,
      }));
    }
    return art;
  });
}

/** Loads every language present under the corpus root. */
export function loadSemeval2023All(dataDir: string, opts: LoadOptions & { langs?: readonly string[] } = {}): Semeval2023Article[] {
  const langs = opts.langs ?? SEMEVAL2023_LANGUAGES;
  const out: Semeval2023Article[] = [];
  for (const l of langs) {
    if (existsSync(join(semeval2023Root(dataDir), l))) out.push(...loadSemeval2023(dataDir, l, opts));
  }
  return out;
}

/** `../shared/corpora` relative to the repo root, or null when absent (tests skip). */
export function defaultCorporaDir(repoRoot: string): string | null {
  const d = join(repoRoot, '..', 'shared', 'corpora');
  return existsSync(join(d, 'semeval2023-task3')) ? d : null;
}
