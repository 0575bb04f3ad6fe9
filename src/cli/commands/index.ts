import type { Command } from '../command.ts';

/**
 * Every subcommand, one line each. Commands are imported lazily so that
 * `unspin analyze` does not pay for loading the store or the trainers.
 */
export const commands: Record<string, { summary: string; load: () => Promise<Command> }> = {
  analyze: { summary: 'analyse one article (file, URL or - for stdin)', load: async () => (await import('./analyze.ts')).default },
  ingest: { summary: 'analyse and store many articles (files, folders, JSONL, URL lists, feeds)', load: async () => (await import('./ingest.ts')).default },
  watch: { summary: 'poll RSS/Atom feeds on an interval and store new articles', load: async () => (await import('./watch.ts')).default },
  search: { summary: 'full-text search of the corpus with outlet, date, technique, frame, narrative, role, speaker filters', load: async () => (await import('./search.ts')).default },
  speakers: { summary: 'rank quoted people by appearances (articles, quotes, outlets)', load: async () => (await import('./speakers.ts')).default },
  speaker: { summary: "one person's dossier: quotes, outlets, descriptors, co-quoted people, narratives, roles", load: async () => (await import('./speaker.ts')).default },
  trends: { summary: 'articles per day/week/month by outlet, technique, frame, speaker, narrative or role', load: async () => (await import('./trends.ts')).default },
  outlets: { summary: 'outlets with article counts and first/last seen', load: async () => (await import('./outlets.ts')).default },
  outlet: { summary: "one outlet's profile: techniques, frames, genres, narratives, roles, speakers, copies", load: async () => (await import('./outlet.ts')).default },
  copies: { summary: 'near-duplicate groups: earliest appearance and who copied whom', load: async () => (await import('./copies.ts')).default },
  export: { summary: 'export the corpus as JSONL Analyses or CSV of quotes, techniques, speakers, narratives, roles', load: async () => (await import('./export.ts')).default },
  serve: { summary: 'web workbench and JSON API over the corpus', load: async () => (await import('./serve.ts')).default },
  worker: { summary: 'take jobs from the PostgreSQL work queue: fetch, analyse and store', load: async () => (await import('./worker.ts')).default },
  jobs: { summary: 'the PostgreSQL work queue: counts by state, failed jobs with their errors', load: async () => (await import('./jobs.ts')).default },
  'train-entities': { summary: 'train the NER tagger of the entities stage', load: async () => (await import('./train-entities.ts')).default },
  'train-quotes': { summary: 'train the attribution tagger of the quotes stage on PolNeAR', load: async () => (await import('./train-quotes.ts')).default },
  'train-techniques': { summary: 'train the persuasion-technique model (cross-validates, calibrates, writes models/techniques)', load: async () => (await import('./train-techniques.ts')).default },
  'train-frames': { summary: 'train the frames model (SemEval-2023 subtask 2), or cross-validate it with --cv', load: async () => (await import('./train-frames.ts')).default },
  'train-genre': { summary: 'train the genre model (SemEval-2023 subtask 1), or cross-validate it with --cv', load: async () => (await import('./train-genre.ts')).default },
  'train-narratives': { summary: 'train the narratives model (SemEval-2025 Task 10 subtask 2), cross-validated', load: async () => (await import('./train-narratives.ts')).default },
  'train-roles': { summary: 'train the entity-roles model (SemEval-2025 Task 10 subtask 1), cross-validated', load: async () => (await import('./train-roles.ts')).default },
  'eval-entities': { summary: 'score the NER tagger (conlleval F1)', load: async () => (await import('./eval-entities.ts')).default },
  'eval-attribution': { summary: 'score the quotes layer on PolNeAR (content/cue/source P/R/F1)', load: async () => (await import('./eval-attribution.ts')).default },
  'eval-semeval2023': { summary: 'score SemEval-2023 Task 3 predictions (subtasks 1, 2, 3, spans) with the official metrics', load: async () => (await import('./eval-semeval2023.ts')).default },
  'eval-semeval2025': { summary: 'score SemEval-2025 Task 10 predictions (1: role exact match, 2: narrative F1)', load: async () => (await import('./eval-semeval2025.ts')).default },
  'predict-semeval2023': { summary: 'SemEval-2023 Task 3 predictions (techniques per paragraph or as spans) for a folder', load: async () => (await import('./predict-semeval2023.ts')).default },
  'predict-semeval2025': { summary: 'SemEval-2025 Task 10 predictions (1: entity roles, 2: narratives) in the official formats', load: async () => (await import('./predict-semeval2025.ts')).default },
};
