/**
 * Loader for SemEval-2021 Task 6 (meme texts with technique spans), labels
 * mapped onto the SemEval-2023 taxonomy. Short English texts: useful extra
 * examples, notably for labels the 2023 English train set lacks
 * (Appeal_to_Values from "Glittering generalities", Questioning_the_Reputation
 * from "Smears").
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { codePointToUtf16Map, cpToUtf16 } from './offsets.ts';

export const SEMEVAL2021_TO_2023: Record<string, string> = {
  'Appeal to authority': 'Appeal_to_Authority',
  'Appeal to fear/prejudice': 'Appeal_to_Fear-Prejudice',
  'Black-and-white Fallacy/Dictatorship': 'False_Dilemma-No_Choice',
  'Causal Oversimplification': 'Causal_Oversimplification',
  Doubt: 'Doubt',
  'Exaggeration/Minimisation': 'Exaggeration-Minimisation',
  'Flag-waving': 'Flag_Waving',
  'Glittering generalities (Virtue)': 'Appeal_to_Values',
  'Loaded Language': 'Loaded_Language',
  "Misrepresentation of Someone's Position (Straw Man)": 'Straw_Man',
  'Name calling/Labeling': 'Name_Calling-Labeling',
  'Obfuscation, Intentional vagueness, Confusion': 'Obfuscation-Vagueness-Confusion',
  'Presenting Irrelevant Data (Red Herring)': 'Red_Herring',
  'Reductio ad hitlerum': 'Guilt_by_Association',
  Repetition: 'Repetition',
  Slogans: 'Slogans',
  Smears: 'Questioning_the_Reputation',
  'Thought-terminating cliché': 'Conversation_Killer',
  Whataboutism: 'Whataboutism',
  Bandwagon: 'Appeal_to_Popularity',
};

export interface MemeText {
  id: string;
  split: 'train' | 'dev' | 'test';
  text: string;
  spans: { technique: string; start: number; end: number }[];
}

export function loadSemeval2021(dataDir: string): MemeText[] {
  const root = existsSync(join(dataDir, 'semeval2021-task6')) ? join(dataDir, 'semeval2021-task6') : dataDir;
  const files = { train: 'training_set_task2.txt', dev: 'dev_set_task2.txt', test: 'test_set_task2.txt' } as const;
  const out: MemeText[] = [];
  for (const split of ['train', 'dev', 'test'] as const) {
    const f = join(root, files[split]);
    if (!existsSync(f)) continue;
    const list = JSON.parse(readFileSync(f, 'utf8')) as { id: string; text: string; labels: { start: number; end: number; technique: string }[] }[];
    for (const m of list) {
      const map = codePointToUtf16Map(m.text);
      out.push({
        id: String(m.id),
        split,
        text: m.text,
        spans: m.labels
          .filter((l) => SEMEVAL2021_TO_2023[l.technique])
          .map((l) => ({ technique: SEMEVAL2021_TO_2023[l.technique], start: cpToUtf16(map, l.start), end: cpToUtf16(map, l.end) })),
      });
    }
  }
  return out;
}
