import { createHash } from 'node:crypto';
import type { Article } from './article/types.ts';
import type { Analysis, DocumentInfo } from './document/types.ts';
import type { Stage } from './document/stage.ts';
import { runStages, type RunOptions } from './document/runner.ts';
import { clean } from './clean/index.ts';
import { detectLanguage } from './article/language.ts';
import { segment } from './segment/index.ts';
import { STAGES } from './stages/index.ts';

export interface AnalyzeOptions extends RunOptions {
  /** Stages to run, in order; defaults to every stage. */
  stages?: readonly Stage[];
  /** Document id; defaults to a hash of the clean text. */
  id?: string;
}

/** The raw body with the title on top when the body does not already start with it. */
function withTitle(article: Article): string {
  const title = article.title?.trim();
  if (!title) return article.raw;
  const head = article.raw.trimStart().slice(0, title.length + 50);
  if (head.toLowerCase().startsWith(title.toLowerCase())) return article.raw;
  return `${title}\n\n${article.raw}`;
}

/** ingest's Article → clean → segment → stages → Analysis. Pure: no I/O. */
export function analyze(article: Article, options: AnalyzeOptions = {}): Analysis {
  const cleaned = clean(withTitle(article), { title: article.title });
  const text = cleaned.text;
  const language = article.language ?? detectLanguage(text).language;
  const { segments, tokens } = segment(text, { title: article.title });
  const document: DocumentInfo = {
    id: options.id ?? createHash('sha256').update(text).digest('hex').slice(0, 16),
    title: article.title ?? segments.title?.text ?? null,
    url: article.url,
    outlet: article.outlet,
    byline: article.byline,
    published: article.published,
    language,
    text,
  };
  const analysis = runStages(options.stages ?? STAGES, document, segments, tokens, options);
  for (const r of cleaned.removed) {
    analysis.diagnostics.push({ code: `removed-${r.reason}`, severity: 'info', stage: 'clean', message: `removed ${r.reason} (${r.end - r.start} characters of the raw body)` });
  }
  return analysis;
}

/** Convenience for tests and the API: analyse a plain string. */
export function analyzeText(raw: string, meta: Partial<Omit<Article, 'raw'>> = {}, options: AnalyzeOptions = {}): Analysis {
  return analyze(
    { raw, title: null, url: null, outlet: null, byline: null, published: null, language: null, source: 'text', ...meta },
    options,
  );
}
