/**
 * Loader for PTC (SemEval-2020 Task 11) with its 14 labels mapped onto the
 * SemEval-2023 taxonomy. PTC train+dev are the same 446 articles as the 2023
 * English train set (offsets agree for ~93% of spans), so never evaluate a
 * 2023-trained model on PTC, and check overlap before adding it as data.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { codePointToUtf16Map, cpToUtf16 } from './offsets.ts';
import { readArticleDir } from './semeval2023/index.ts';

/** PTC label → 2023 label; null where the old class merges several new ones. */
export const PTC_TO_2023: Record<string, string | null> = {
  Appeal_to_Authority: 'Appeal_to_Authority',
  'Appeal_to_fear-prejudice': 'Appeal_to_Fear-Prejudice',
  'Bandwagon,Reductio_ad_hitlerum': 'Guilt_by_Association',
  'Black-and-White_Fallacy': 'False_Dilemma-No_Choice',
  Causal_Oversimplification: 'Causal_Oversimplification',
  Doubt: 'Doubt',
  'Exaggeration,Minimisation': 'Exaggeration-Minimisation',
  'Flag-Waving': 'Flag_Waving',
  Loaded_Language: 'Loaded_Language',
  'Name_Calling,Labeling': 'Name_Calling-Labeling',
  Repetition: 'Repetition',
  Slogans: 'Slogans',
  'Thought-terminating_Cliches': 'Conversation_Killer',
  'Whataboutism,Straw_Men,Red_Herring': null,
};

export interface PtcArticle {
  id: string;
  split: 'train' | 'dev';
  text: string;
  spans: { ptcTechnique: string; technique: string | null; start: number; end: number; cpStart: number; cpEnd: number }[];
}

export function loadPtc(dataDir: string): PtcArticle[] {
  const root = existsSync(join(dataDir, 'ptc')) ? join(dataDir, 'ptc') : dataDir;
  const out: PtcArticle[] = [];
  for (const split of ['train', 'dev'] as const) {
    const dir = join(root, `${split}-articles`);
    if (!existsSync(dir)) continue;
    const labelFile = join(root, `${split}-task-flc-tc.labels`);
    const byId = new Map<string, [string, number, number][]>();
    if (existsSync(labelFile)) {
      for (const line of readFileSync(labelFile, 'utf8').split('\n')) {
        const cols = line.replace(/\s+$/, '').split('\t');
        if (cols.length !== 4) continue;
        const list = byId.get(cols[0]) ?? [];
        list.push([cols[1], Number(cols[2]), Number(cols[3])]);
        byId.set(cols[0], list);
      }
    }
    for (const { id, text } of readArticleDir(dir)) {
      const map = codePointToUtf16Map(text);
      out.push({
        id,
        split,
        text,
        spans: (byId.get(id) ?? []).map(([t, s, e]) => ({
          ptcTechnique: t,
          technique: PTC_TO_2023[t] ?? null,
          start: cpToUtf16(map, s),
          end: cpToUtf16(map, e),
          cpStart: s,
          cpEnd: e,
        })),
      });
    }
  }
  return out;
}
