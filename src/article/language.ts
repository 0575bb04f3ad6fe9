/** Language detection, re-exported for the pipeline (the detector lives in src/language/). */
export { detectLanguage, SUPPORTED_LANGUAGES, type LanguageGuess } from '../language/detect.ts';
