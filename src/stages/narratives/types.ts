/** Types the narratives stage uses from the shared contracts. */
export type { Diagnostic, Evidence, Sentence } from '../../document/types.ts';
export type { SparseVec as SparseVecLike } from '../../ml/index.ts';
