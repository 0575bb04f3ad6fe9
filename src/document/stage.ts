import type { Analysis, Diagnostic, Segments, Token } from './types.ts';

/** Layer names a stage can require or assign (keys of Analysis). */
export type LayerName =
  | 'segments'
  | 'entities'
  | 'quotes'
  | 'techniques'
  | 'paragraphTechniques'
  | 'frames'
  | 'genre'
  | (string & {});

/**
 * What a stage sees: the clean text, the document metadata, the segments and
 * tokens, and every layer assigned before it. Read-only by convention.
 */
export interface StageInput {
  text: string;
  language: string;
  segments: Segments;
  tokens: Token[];
  analysis: Readonly<Analysis>;
}

export interface StageOutput {
  /** Layers this stage assigns, keyed by layer name. */
  layers: Partial<Record<LayerName, unknown>>;
  /** Model name@version, when the stage used one. */
  model?: string;
  diagnostics?: Diagnostic[];
}

/**
 * A pipeline component: pure function of its input and its model. Declares
 * what it needs and what it adds so the pipeline can check the order.
 */
export interface Stage {
  name: string;
  requires: LayerName[];
  assigns: LayerName[];
  /** Languages the stage supports; omitted means every language. */
  languages?: string[];
  run(input: StageInput): StageOutput;
}
