/**
 * Loader for SemEval-2025 Task 10 (`../shared/corpora/semeval2025-task10/<LANG>/`):
 * raw documents, subtask-1 entity mentions (roles) and subtask-2 narrative
 * labels. Text is read as UTF-8 and never normalised (offsets refer to it).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { locateMention, type Located } from './offsets.ts';

export const LANGUAGES = ['BG', 'EN', 'HI', 'PT', 'RU'] as const;

export interface Se25Document {
  id: string;
  lang: string;
  text: string;
}

export interface Se25Mention {
  docId: string;
  /** The mention string as given (part of the scorer's key). */
  mention: string;
  /** Offsets as given: UTF-16 units, inclusive end. */
  start: number;
  end: number;
  main: string;
  fine: string[];
  /** Where the mention really lies in the document text (half-open), or null. */
  span: Located | null;
}

export interface Se25Narratives {
  docId: string;
  narratives: string[];
  subnarratives: string[];
}

export interface Se25Language {
  lang: string;
  documents: Se25Document[];
  mentions: Se25Mention[];
  narratives: Se25Narratives[];
}

/** The language folders present under `root`. */
export function availableLanguages(root: string): string[] {
  if (!existsSync(root)) return [];
  return readdirSync(root).filter((d) => existsSync(join(root, d, 'raw-documents'))).sort();
}

function splitList(s: string | undefined): string[] {
  if (!s) return [];
  return [...new Set(s.split(';').map((x) => x.trim()).filter(Boolean))];
}

/** Parses a subtask-2 file (gold or predictions): id, narratives, subnarratives. Order kept. */
export function parseNarrativeLines(content: string): Se25Narratives[] {
  const out: Se25Narratives[] = [];
  for (const line of content.split(/\r?\n/)) {
    if (!line.trim()) continue;
    const [docId, narr, sub] = line.split('\t');
    out.push({ docId: docId.trim(), narratives: splitList(narr), subnarratives: splitList(sub) });
  }
  return out;
}

export interface RawMentionLine {
  docId: string;
  mention: string;
  start: number;
  end: number;
  main: string;
  fine: string[];
}

/** Parses a subtask-1 file (gold, predictions, or keys only when roles are absent). */
export function parseMentionLines(content: string): RawMentionLine[] {
  const out: RawMentionLine[] = [];
  for (const line of content.split(/\r?\n/)) {
    if (!line.trim()) continue;
    const [docId, mention, start, end, main, ...fine] = line.split('\t');
    out.push({
      docId,
      mention,
      start: Number(start),
      end: Number(end),
      main: (main ?? '').trim(),
      fine: fine.map((f) => f.trim()).filter(Boolean),
    });
  }
  return out;
}

/** Reads every `*.txt` in a folder as a document (id = file name), sorted by id. */
export function readDocuments(dir: string, lang = ''): Se25Document[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.txt'))
    .sort()
    .map((id) => ({ id, lang, text: readFileSync(join(dir, id), 'utf8') }));
}

/** Loads one language folder. Annotation files that are absent give empty lists. */
export function loadLanguage(root: string, lang: string): Se25Language {
  const dir = join(root, lang);
  const documents = readDocuments(join(dir, 'raw-documents'), lang);
  const byId = new Map(documents.map((d) => [d.id, d]));
  const f1 = join(dir, 'subtask-1-annotations.txt');
  const f2 = join(dir, 'subtask-2-annotations.txt');
  const mentions: Se25Mention[] = existsSync(f1)
    ? parseMentionLines(readFileSync(f1, 'utf8')).map((m) => {
        const doc = byId.get(m.docId);
        return { ...m, span: doc ? locateMention(doc.text, m.mention, m.start, m.end) : null };
      })
    : [];
  const narratives = existsSync(f2) ? parseNarrativeLines(readFileSync(f2, 'utf8')) : [];
  return { lang, documents, mentions, narratives };
}

/** Loads several languages (all present ones by default). */
export function loadCorpus(root: string, langs?: string[]): Se25Language[] {
  return (langs ?? availableLanguages(root)).map((l) => loadLanguage(root, l));
}
