/**
 * The `roles` stage: how the article casts each entity — main role
 * (Protagonist, Antagonist, Innocent) and fine roles (Instigator, Victim,
 * Peacemaker …, the SemEval-2025 Task 10 entity-role taxonomy) — for every
 * named or described mention (pronouns are skipped), with the sentence as
 * evidence. The entity's overall role averages its mentions' probabilities.
 * Labels are per mention because the same entity is often cast differently
 * in different sentences.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { Stage, StageInput, StageOutput } from '../../document/stage.ts';
import type { Diagnostic, Entity, TextSpan } from '../../document/types.ts';
import { fnv } from '../../ml/index.ts';
import { docTokens, firstToken, mentionFeatureHashes, mentionString, sentenceAround } from './features.ts';
import { mentionDense } from './dense.ts';
import { decodeRoles, RoleModel, ROLE_LABELS, type RoleModelJSON } from './model.ts';
import { chooseRoles, MentionScorer, type RoleChoice } from './scorer.ts';

export interface RoleScore {
  role: string;
  confidence: number;
}

export interface MentionRole extends TextSpan {
  main: string;
  mainConfidence: number;
  /** The chosen fine role (one: a single role scored best for exact match in cross-validation). */
  fine: RoleScore[];
  /** The sentence the mention lies in. */
  evidence: TextSpan;
}

export interface EntityRoles {
  /** Entity id in the entities layer. */
  entity: string;
  name: string;
  main: string;
  mainConfidence: number;
  fine: RoleScore[];
  mentions: MentionRole[];
}

export const ROLES_MODEL_NAME = 'roles-semeval2025';
const MODEL_URL = new URL('../../../models/roles/model.json', import.meta.url);
const TRAINED_LANGUAGES = new Set(['en', 'bg', 'hi', 'pt', 'ru']);

let cached: { model: RoleModel; version: string } | null | undefined;

export function loadRoleModel(): { model: RoleModel; version: string } | null {
  if (cached !== undefined) return cached;
  if (!existsSync(MODEL_URL)) return (cached = null);
  const { header, body } = JSON.parse(readFileSync(MODEL_URL, 'utf8')) as { header: { version: string }; body: RoleModelJSON };
  return (cached = { model: RoleModel.fromJSON(body), version: header.version });
}

const round = (x: number) => Math.round(x * 1000) / 1000;

function fineList(p: RoleChoice): RoleScore[] {
  return [{ role: p.fine, confidence: round(p.fineConfidence) }];
}

export interface RolesStageOptions {
  model?: RoleModel | null;
  modelVersion?: string;
  /**
   * How each mention is scored: 'fast' (default; scorer.ts, reused buffers)
   * or 'plain' (a fresh sparse row and word-vector array per mention and the
   * full decodeRoles: the per-mention code before the speed work, sharing
   * features.ts with the fast path): the same output to the bit, kept as the
   * tests' reference and the bench baseline (bench/roles.ts).
   */
  path?: 'fast' | 'plain';
}

/** One scorer per model (its scratch buffers are reused across mentions and articles; stages run synchronously). */
const scorers = new WeakMap<RoleModel, MentionScorer>();
function scorerFor(model: RoleModel): MentionScorer {
  let s = scorers.get(model);
  if (!s) scorers.set(model, (s = new MentionScorer(model)));
  return s;
}

export function createRolesStage(opts: RolesStageOptions = {}): Stage {
  return {
    name: 'roles',
    requires: ['entities'],
    assigns: ['roles'],
    run(input: StageInput): StageOutput {
      const diagnostics: Diagnostic[] = [];
      const loaded = opts.model !== undefined ? (opts.model ? { model: opts.model, version: opts.modelVersion ?? 'test' } : null) : loadRoleModel();
      const lang = (input.language || 'und').toLowerCase();
      if (!loaded) {
        diagnostics.push({ code: 'model-missing', severity: 'warning', stage: 'roles', message: 'models/roles/model.json is absent: no roles' });
        return { layers: { roles: [] }, diagnostics };
      }
      if (lang !== 'und' && !TRAINED_LANGUAGES.has(lang)) {
        diagnostics.push({ code: 'language-unsupported', severity: 'info', stage: 'roles', message: `the roles model was trained on ${[...TRAINED_LANGUAGES].join(', ')}, not '${lang}'` });
        return { layers: { roles: [] }, diagnostics };
      }
      const { model } = loaded;
      const plain = opts.path === 'plain';
      const scorer = plain ? null : scorerFor(model);
      const decode: (p: ArrayLike<number>) => RoleChoice = plain ? decodeRoles : chooseRoles;
      const text = input.text;
      const dt = docTokens(text);
      const sentences = input.segments.sentences;
      const sentenceOf = (start: number, end: number): [number, number] => {
        // sentences are in text order: the last one starting at or before the mention
        const near = sentences[firstToken(sentences, (x) => x.start > start) - 1];
        const s = near && end <= near.end ? near : sentences.find((x) => x.start <= start && end <= x.end);
        return s ? [s.start, s.end] : sentenceAround(text, start, end);
      };
      // the model's article-level parts (side.ts): the article's side (English) and its fine-role columns, once per article
      const article = model.side || model.articleRoles ? model.articleContext(dt, lang) : undefined;
      const plainRow = (ctx: { text: string; start: number; end: number; sentStart: number; sentEnd: number }) => {
        const hashes = mentionFeatureHashes(ctx, dt);
        // the strings hashed afresh (not RoleModel.sideHashes), so that the fast path's cached hashes are checked against them
        if (article?.side) for (const s of model.sideFeatures(mentionString(ctx), article)) hashes.push(fnv(s));
        const d = model.denseDim ? mentionDense(ctx, dt) : undefined;
        return model.vectorFromHashes(hashes, model.articleDim ? model.withArticleColumns(d, article) : d);
      };
      const entities = (input.analysis.entities ?? []) as Entity[];
      const out: EntityRoles[] = [];
      for (const e of entities) {
        const mentions: MentionRole[] = [];
        const sum = new Float64Array(ROLE_LABELS.length);
        for (const m of e.mentions) {
          if (m.kind === 'pronoun' || m.end <= m.start) continue;
          const [sentStart, sentEnd] = sentenceOf(m.start, m.end);
          const ctx = { text, start: m.start, end: m.end, sentStart, sentEnd };
          const p = scorer ? scorer.proba(ctx, dt, article) : model.classifier.proba(plainRow(ctx));
          for (let i = 0; i < p.length; i++) sum[i] += p[i];
          const d = decode(p);
          mentions.push({
            start: m.start,
            end: m.end,
            text: m.text,
            main: d.main,
            mainConfidence: round(d.mainConfidence),
            fine: fineList(d),
            evidence: { start: sentStart, end: sentEnd, text: text.slice(sentStart, sentEnd) },
          });
        }
        if (!mentions.length) continue;
        for (let i = 0; i < sum.length; i++) sum[i] /= mentions.length;
        const d = decode(sum);
        out.push({ entity: e.id, name: e.name, main: d.main, mainConfidence: round(d.mainConfidence), fine: fineList(d), mentions });
      }
      return { layers: { roles: out }, model: `${ROLES_MODEL_NAME}@${loaded.version}`, diagnostics };
    },
  };
}

/** The stage with the committed model. */
export const rolesStage: Stage = createRolesStage();

export { RoleModel } from './model.ts';
