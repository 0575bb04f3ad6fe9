import type { Analysis, Diagnostic, DocumentInfo, Segments, Token } from './types.ts';
import { SCHEMA } from './types.ts';
import type { LayerName, Stage } from './stage.ts';

/** Throws when a stage requires a layer that no earlier stage assigns. */
export function checkOrder(stages: readonly Stage[]): void {
  const have = new Set<LayerName>(['segments']);
  for (const stage of stages) {
    for (const need of stage.requires) {
      if (!have.has(need)) {
        throw new Error(`pipeline order: stage '${stage.name}' requires '${need}', which no earlier stage assigns`);
      }
    }
    for (const a of stage.assigns) have.add(a);
  }
}

export function emptyAnalysis(document: DocumentInfo, segments: Segments): Analysis {
  return {
    schema: SCHEMA,
    document,
    segments,
    entities: [],
    quotes: [],
    techniques: [],
    paragraphTechniques: [],
    frames: [],
    genre: null,
    models: {},
    diagnostics: [],
  };
}

/**
 * The first problem with the spans inside `value`, or null. Any object with
 * numeric `start` and `end` is a span: it must lie inside the text, and when it
 * carries `text`, that must equal the slice.
 */
export function findBadSpan(value: unknown, text: string, depth = 0): string | null {
  if (depth > 8 || value === null || typeof value !== 'object') return null;
  if (Array.isArray(value)) {
    for (const v of value) {
      const bad = findBadSpan(v, text, depth + 1);
      if (bad) return bad;
    }
    return null;
  }
  const o = value as Record<string, unknown>;
  if (typeof o.start === 'number' || typeof o.end === 'number') {
    const { start, end } = o as { start: number; end: number };
    if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end < start || end > text.length) {
      return `span [${String(start)}, ${String(end)}) lies outside the text (length ${text.length})`;
    }
    if (typeof o.text === 'string' && text.slice(start, end) !== o.text) {
      return `span [${start}, ${end}) says ${JSON.stringify(o.text.slice(0, 40))} but the text there is ${JSON.stringify(text.slice(start, Math.min(end, start + 40)))}`;
    }
  }
  for (const key of Object.keys(o)) {
    if (key === 'text') continue;
    const bad = findBadSpan(o[key], text, depth + 1);
    if (bad) return bad;
  }
  return null;
}

export interface RunOptions {
  /** Called after each stage with its name and elapsed milliseconds. */
  onStage?: (name: string, ms: number) => void;
}

/**
 * Runs the stages in order over one document. A stage that throws, or that
 * does not support the language, leaves its layers at their defaults and adds
 * a diagnostic; items carrying an invalid span are dropped with a diagnostic.
 */
export function runStages(
  stages: readonly Stage[],
  document: DocumentInfo,
  segments: Segments,
  tokens: Token[],
  options: RunOptions = {},
): Analysis {
  checkOrder(stages);
  const analysis = emptyAnalysis(document, segments);
  const diagnostics: Diagnostic[] = analysis.diagnostics;
  const text = document.text;
  for (const stage of stages) {
    if (stage.languages && !stage.languages.includes(document.language)) {
      diagnostics.push({
        code: 'language-unsupported',
        severity: 'info',
        stage: stage.name,
        message: `${stage.name}: skipped, no model for language '${document.language}' (supported: ${stage.languages.join(', ')})`,
      });
      continue;
    }
    const t0 = performance.now();
    let output;
    try {
      output = stage.run({ text, language: document.language, segments, tokens, analysis });
    } catch (err) {
      diagnostics.push({
        code: 'stage-failed',
        severity: 'error',
        stage: stage.name,
        message: `${stage.name} failed: ${(err as Error)?.message ?? String(err)}`,
      });
      continue;
    } finally {
      options.onStage?.(stage.name, performance.now() - t0);
    }
    for (const [layer, value] of Object.entries(output.layers)) {
      if (!stage.assigns.includes(layer)) {
        diagnostics.push({ code: 'layer-undeclared', severity: 'warning', stage: stage.name, message: `${stage.name} returned layer '${layer}' it does not declare; ignored` });
        continue;
      }
      if (Array.isArray(value)) {
        const kept = value.filter((item) => {
          const bad = findBadSpan(item, text);
          if (bad) diagnostics.push({ code: 'span-invalid', severity: 'error', stage: stage.name, message: `${stage.name}/${layer}: ${bad}; item dropped` });
          return !bad;
        });
        analysis[layer] = kept;
      } else {
        const bad = findBadSpan(value, text);
        if (bad) {
          diagnostics.push({ code: 'span-invalid', severity: 'error', stage: stage.name, message: `${stage.name}/${layer}: ${bad}; layer dropped` });
          continue;
        }
        analysis[layer] = value;
      }
    }
    if (output.model) analysis.models[stage.name] = output.model;
    if (output.diagnostics) diagnostics.push(...output.diagnostics.map((d) => ({ ...d, stage: d.stage ?? stage.name })));
  }
  return analysis;
}
