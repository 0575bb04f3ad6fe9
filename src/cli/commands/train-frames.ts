import type { Command } from '../command.ts';
import { frameNames } from '../../corpora/semeval2023/index.ts';
import { runTrain, usageFor, type ArticleTask } from '../../stages/frames/train-cli.ts';

/** Chosen by cross-validation (see models/frames/MODEL_CARD.md). */
export const FRAMES_TASK: ArticleTask = {
  name: 'frames',
  subtask: 2,
  out: 'models/frames/model.json',
  labels: frameNames,
  options: (labels) => ({
    name: 'frames',
    version: '1',
    task: 'multilabel',
    labels,
    mode: 'per-language',
    spec: { wordNgrams: [1, 2], charNgrams: null, bits: 20 },
    minDf: 2,
    maxFeatures: 20000,
    epochs: 10,
    lr: 0.2,
    l2: 1e-3,
    seed: 1,
    balanced: false,
    posWeight: 1,
    prior: 'train',
    innerFolds: 4,
    style: 0,
  }),
};

const command: Command = {
  name: 'train-frames',
  summary: 'train the frames model (SemEval-2023 subtask 2), or cross-validate it with --cv',
  usage: usageFor(FRAMES_TASK),
  run: (argv, io) => runTrain(FRAMES_TASK, argv, io),
};

export default command;
