/**
 * The `narratives` stage: which SemEval-2025 narratives (Ukraine–Russia war,
 * climate change) and subnarratives the article pushes, each with a confidence
 * and the sentences that support it; `Other` when none applies. Narratives
 * from user-defined files (see user.ts) are matched too and reported with the
 * same shape (`source: 'user'`).
 *
 * Evidence for a model label: every sentence is vectorised on its own and
 * scored against the label's weights; the (at most 3) sentences with the
 * highest positive score are cited, weight = score relative to the best one.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { Stage, StageInput, StageOutput } from '../../document/stage.ts';
import type { Diagnostic, Evidence, Sentence, SparseVecLike } from './types.ts';
import { NarrativeModel, type NarrativeModelJSON } from './model.ts';
import { OTHER, type Domain } from '../../corpora/semeval2025/taxonomy.ts';
import { UserNarrativeMatcher, type UserNarrativeFile } from './user.ts';

export interface NarrativeEvidence extends Evidence {
  /** Index into segments.sentences. */
  sentence: number;
}

export interface SubnarrativeLabel {
  /** Full taxonomy label, e.g. "URW: Discrediting Ukraine: Ukraine is a puppet of the West". */
  subnarrative: string;
  confidence: number;
  evidence: NarrativeEvidence[];
}

export interface NarrativeLabel {
  /** Taxonomy label ("CC: Criticism of climate policies", "Other") or a user narrative's name. */
  narrative: string;
  /** 'model' for the SemEval-2025 taxonomy, 'user' for a user-defined file. */
  source: 'model' | 'user';
  /** The taxonomy: 'semeval2025' or the user file's topic. */
  taxonomy: string;
  /** The user narrative's id (source 'user'). */
  id?: string;
  domain: Domain | null;
  confidence: number;
  evidence: NarrativeEvidence[];
  subnarratives: SubnarrativeLabel[];
}

export const MODEL_NAME = 'narratives-semeval2025';
const MODEL_URL = new URL('../../../models/narratives/model.json', import.meta.url);
const TRAINED_LANGUAGES = new Set(['en', 'bg', 'hi', 'pt', 'ru']);
const MAX_EVIDENCE = 3;

interface LoadedModel {
  model: NarrativeModel;
  version: string;
}

let cached: LoadedModel | null | undefined;

/** The committed model, or null when models/narratives/model.json is absent. */
export function loadNarrativeModel(): LoadedModel | null {
  if (cached !== undefined) return cached;
  if (!existsSync(MODEL_URL)) return (cached = null);
  const { header, body } = JSON.parse(readFileSync(MODEL_URL, 'utf8')) as { header: { version: string }; body: NarrativeModelJSON };
  return (cached = { model: NarrativeModel.fromJSON(body), version: header.version });
}

/** Sentences ranked by how much each alone supports `label`. */
function evidenceFor(model: NarrativeModel, label: string, sentences: Sentence[], feats: SparseVecLike[]): NarrativeEvidence[] {
  const scored = feats.map((f, i) => ({ i, s: model.support(f, label) })).filter((x) => x.s > 0);
  scored.sort((a, b) => b.s - a.s || a.i - b.i);
  const top = scored.slice(0, MAX_EVIDENCE);
  const best = top[0]?.s ?? 1;
  return top.map(({ i, s }) => ({ start: sentences[i].start, end: sentences[i].end, text: sentences[i].text, sentence: i, weight: round(s / best) }));
}

const round = (x: number) => Math.round(x * 1000) / 1000;

export interface NarrativesStageOptions {
  /** Use this model instead of the committed one (tests); null for none. */
  model?: NarrativeModel | null;
  modelVersion?: string;
  /** User-defined narrative files to match as well. */
  userNarratives?: UserNarrativeFile[];
}

export function createNarrativesStage(opts: NarrativesStageOptions = {}): Stage {
  const matchers = (opts.userNarratives ?? []).map((f) => new UserNarrativeMatcher(f));
  return {
    name: 'narratives',
    requires: [],
    assigns: ['narratives'],
    run(input: StageInput): StageOutput {
      const diagnostics: Diagnostic[] = [];
      const loaded = opts.model !== undefined ? (opts.model ? { model: opts.model, version: opts.modelVersion ?? 'test' } : null) : loadNarrativeModel();
      const sentences = input.segments.sentences;
      const out: NarrativeLabel[] = [];
      let modelId: string | undefined;
      const lang = (input.language || 'und').toLowerCase();
      if (!loaded) {
        diagnostics.push({ code: 'model-missing', severity: 'warning', stage: 'narratives', message: 'models/narratives/model.json is absent: only user-defined narratives are matched' });
      } else if (lang !== 'und' && !TRAINED_LANGUAGES.has(lang)) {
        diagnostics.push({ code: 'language-unsupported', severity: 'info', stage: 'narratives', message: `the narrative model was trained on ${[...TRAINED_LANGUAGES].join(', ')}, not '${lang}': only user-defined narratives are matched` });
      } else {
        const { model } = loaded;
        modelId = `${MODEL_NAME}@${loaded.version}`;
        const decoded = model.predict(input.text, lang);
        if (decoded.other) {
          out.push({ narrative: OTHER, source: 'model', taxonomy: 'semeval2025', domain: null, confidence: round(decoded.pOther), evidence: [], subnarratives: [] });
        } else {
          const feats = sentences.map((s) => model.features(s.text));
          for (const n of decoded.narratives) {
            out.push({
              narrative: n.label,
              source: 'model',
              taxonomy: 'semeval2025',
              domain: n.domain,
              confidence: round(n.p),
              evidence: evidenceFor(model, n.label, sentences, feats),
              subnarratives: n.subnarratives.map((s) => ({ subnarrative: s.label, confidence: round(s.p), evidence: evidenceFor(model, s.label, sentences, feats) })),
            });
          }
        }
      }
      for (const m of matchers) {
        for (const hit of m.match(sentences.map((s) => s.text))) {
          out.push({
            narrative: hit.name,
            source: 'user',
            taxonomy: m.file.topic,
            id: hit.id,
            domain: null,
            confidence: round(hit.confidence),
            evidence: hit.support.map(({ index, similarity }) => ({
              start: sentences[index].start,
              end: sentences[index].end,
              text: sentences[index].text,
              sentence: index,
              weight: round(similarity),
            })),
            subnarratives: [],
          });
        }
      }
      return { layers: { narratives: out }, model: modelId, diagnostics };
    },
  };
}

/** The stage with the committed model and no user-defined narratives. */
export const narrativesStage: Stage = createNarrativesStage();

export { NarrativeModel } from './model.ts';
export { UserNarrativeMatcher, readUserNarratives, validateUserNarratives, type UserNarrativeFile } from './user.ts';
