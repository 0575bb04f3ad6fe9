/**
 * The committed techniques model: paragraph classifier + per-language
 * calibration and thresholds + span tagger, and the one function both the
 * stage and the SemEval predictor call.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadModel, type ModelHeader } from '../../ml/model-file.ts';
import type { Platt } from '../../ml/calibrate.ts';
import { articleItems, calibrate, ParagraphModel, type ParagraphModelJSON } from './paragraphs.ts';
import { decodeSpans, SpanTagger, tokenContext, type SpanTaggerJSON } from './spans.ts';

export const MODEL_PATH = fileURLToPath(new URL('../../../models/techniques/techniques.json', import.meta.url));

export interface LangCalibration {
  platt: Platt[];
  thresholds: (number | null)[];
  global: number;
}

export interface TechniquesModelJSON {
  labels: string[];
  paragraph: ParagraphModelJSON;
  /** Keyed by corpus language code; 'all' is pooled over languages, for the rest. */
  calibration: Record<string, LangCalibration>;
  spans: SpanTaggerJSON | null;
}

/** ISO 639-1 (and corpus) codes → the corpus code the calibration is keyed by. */
const LANG_KEY: Record<string, string> = { en: 'en', fr: 'fr', de: 'ge', ge: 'ge', it: 'it', pl: 'pl', po: 'po', ru: 'ru' };

export interface PredictedParagraph {
  id: number;
  techniques: { technique: string; confidence: number }[];
}

export interface PredictedSpan {
  /** Index into the paragraphs passed in. */
  paragraph: number;
  technique: string;
  /** Offsets within that paragraph's text (UTF-16). */
  start: number;
  end: number;
  confidence: number;
}

export class TechniquesModel {
  readonly paragraph: ParagraphModel;
  readonly tagger: SpanTagger | null;
  readonly calibration: Record<string, { platt: Platt[]; thresholds: number[]; global: number }>;

  constructor(readonly header: ModelHeader, readonly labels: string[], body: TechniquesModelJSON) {
    this.paragraph = ParagraphModel.fromJSON(body.paragraph);
    this.tagger = body.spans ? SpanTagger.fromJSON(body.spans) : null;
    this.calibration = {};
    for (const [k, c] of Object.entries(body.calibration)) {
      this.calibration[k] = { platt: c.platt, global: c.global, thresholds: c.thresholds.map((t) => (t === null ? Infinity : t)) };
    }
  }

  get id(): string {
    return `${this.header.name}@${this.header.version}`;
  }

  /** The corpus language code used for features and calibration ('xx' when unseen). */
  langKey(lang: string): string {
    const k = LANG_KEY[lang.toLowerCase()] ?? 'xx';
    return k === 'pl' ? 'po' : k;
  }

  calibrationFor(lang: string) {
    return this.calibration[this.langKey(lang)] ?? this.calibration.all ?? this.calibration.en;
  }

  /**
   * Predicts the techniques of each paragraph and, when `spans` is set, the
   * spans of each accepted technique. `paragraphs` are in reading order;
   * the first is the title when the article has one.
   */
  predict(paragraphs: { id: number; text: string }[], lang: string, opts: { spans?: boolean; article?: string } = {}) {
    const key = this.langKey(lang);
    const cal = this.calibrationFor(lang);
    const items = articleItems(opts.article ?? 'doc', key, paragraphs);
    const out: PredictedParagraph[] = [];
    const spans: PredictedSpan[] = [];
    items.forEach((it, pi) => {
      const probs = calibrate(this.paragraph.scores(it), cal.platt);
      const techniques: { technique: string; confidence: number; l: number }[] = [];
      for (let l = 0; l < this.labels.length; l++) if (probs[l] >= cal.thresholds[l]) techniques.push({ technique: this.labels[l], confidence: probs[l], l });
      techniques.sort((a, b) => b.confidence - a.confidence);
      out.push({ id: it.id, techniques: techniques.map(({ technique, confidence }) => ({ technique, confidence })) });
      if (opts.spans && this.tagger && techniques.length) {
        const ctx = tokenContext(it.text, it.articleCounts, it.tokens);
        const tok = this.tagger.tokenProbsFor(ctx, techniques.map((t) => t.l));
        for (let k = 0; k < techniques.length; k++) {
          const t = techniques[k];
          const p = tok[k];
          for (const s of decodeSpans(it.text, ctx, p, t.technique, this.tagger.tokenThreshold, this.tagger.relative)) {
            spans.push({ paragraph: pi, technique: t.technique, start: s.start, end: s.end, confidence: t.confidence });
          }
        }
      }
    });
    return { paragraphs: out, spans };
  }
}

let cached: TechniquesModel | null = null;

/** Loads the committed model once (or the one at `path`). */
export function techniquesModel(path = MODEL_PATH): TechniquesModel {
  if (path === MODEL_PATH && cached) return cached;
  if (!existsSync(path)) throw new Error(`techniques model not found at ${path}; run 'unspin train techniques'`);
  const { header, body } = loadModel<TechniquesModelJSON>(path);
  const m = new TechniquesModel(header, body.labels, body);
  if (path === MODEL_PATH) cached = m;
  return m;
}
