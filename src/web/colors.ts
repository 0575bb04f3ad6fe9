/**
 * One colour per persuasion technique (SemEval-2023 task 3 labels, in the
 * order of its label list), so a technique keeps its colour from article to
 * article. Unknown labels get a colour from a hash of the name.
 */
const TECHNIQUES = [
  'Loaded_Language', 'Name_Calling-Labeling', 'Repetition', 'Exaggeration-Minimisation', 'Appeal_to_Fear-Prejudice',
  'Flag_Waving', 'Doubt', 'Causal_Oversimplification', 'Slogans', 'Appeal_to_Authority',
  'Conversation_Killer', 'False_Dilemma-No_Choice', 'Whataboutism', 'Red_Herring', 'Straw_Man',
  'Appeal_to_Popularity', 'Appeal_to_Values', 'Appeal_to_Time', 'Appeal_to_Hypocrisy', 'Guilt_by_Association',
  'Questioning_the_Reputation', 'Obfuscation-Vagueness-Confusion', 'Consequential_Oversimplification',
];

/** Light backgrounds that keep dark text readable (WCAG AA against #111). */
const PALETTE = [
  '#ffd6a5', '#ffadad', '#caffbf', '#9bf6ff', '#bdb2ff', '#ffc6ff', '#fdffb6', '#a0c4ff', '#d0f4de', '#e4c1f9',
  '#f1c0e8', '#b9fbc0', '#fbf8cc', '#cfbaf0', '#98f5e1', '#ffcfd2', '#8eecf5', '#90dbf4', '#f1f7b5', '#fde4cf',
  '#c5dedd', '#e2ece9', '#dbcdf0',
];

export function techniqueColor(label: string): string {
  const i = TECHNIQUES.indexOf(label);
  if (i >= 0) return PALETTE[i % PALETTE.length];
  let h = 0;
  for (let k = 0; k < label.length; k++) h = (h * 31 + label.charCodeAt(k)) >>> 0;
  return PALETTE[h % PALETTE.length];
}

export const pretty = (label: string) => label.replace(/_/g, ' ');
export const pct = (x: number | undefined) => (x === undefined ? '' : `${Math.round(x * 100)}%`);
