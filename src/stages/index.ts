import type { Stage } from '../document/stage.ts';
import { entitiesStage } from './entities/index.ts';
import { quotesStage } from './quotes/index.ts';
import { techniquesStage } from './techniques/index.ts';
import { framesStage } from './frames/index.ts';
import { genreStage } from './genre/index.ts';
import { narrativesStage } from './narratives/index.ts';
import { rolesStage } from './roles/index.ts';

/**
 * The ordered list of analysis stages. Adding a stage means adding its folder
 * and one line here; the runner checks that every stage's requirements are
 * assigned by a stage before it.
 */
export const STAGES: readonly Stage[] = [
  entitiesStage,
  quotesStage,
  techniquesStage,
  framesStage,
  genreStage,
  narrativesStage,
  rolesStage,
];
