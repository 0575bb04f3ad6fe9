import { test } from 'node:test';
import assert from 'node:assert/strict';
import { detectLanguage } from './detect.ts';

// Sentences written for this test, one per language.
const SAMPLES: [string, string][] = [
  ['en', 'The council said on Tuesday that the new bridge would be finished before the winter, and that the cost had not changed.'],
  ['fr', "Le conseil a déclaré mardi que le nouveau pont serait terminé avant l'hiver et que le coût n'avait pas changé."],
  ['de', 'Der Rat teilte am Dienstag mit, dass die neue Brücke vor dem Winter fertig sein werde und sich die Kosten nicht geändert hätten.'],
  ['it', "Il consiglio ha detto martedì che il nuovo ponte sarà finito prima dell'inverno e che il costo non è cambiato."],
  ['es', 'El consejo dijo el martes que el nuevo puente estará terminado antes del invierno y que el costo no ha cambiado.'],
  ['pt', 'O conselho disse na terça-feira que a nova ponte estará pronta antes do inverno e que o custo não mudou.'],
  ['pl', 'Rada poinformowała we wtorek, że nowy most zostanie ukończony przed zimą i że koszt się nie zmienił.'],
  ['ru', 'Совет заявил во вторник, что новый мост будет достроен до зимы и что его стоимость не изменилась.'],
  ['uk', 'Рада заявила у вівторок, що новий міст буде добудовано до зими і що його вартість не змінилася.'],
  ['bg', 'Съветът заяви във вторник, че новият мост ще бъде завършен преди зимата и че цената не се е променила.'],
  ['nl', 'De raad zei dinsdag dat de nieuwe brug voor de winter klaar zal zijn en dat de kosten niet zijn veranderd.'],
  ['el', 'Το συμβούλιο δήλωσε την Τρίτη ότι η νέα γέφυρα θα ολοκληρωθεί πριν από τον χειμώνα.'],
];

test('detects each supported language from one sentence', () => {
  for (const [lang, text] of SAMPLES) {
    const g = detectLanguage(text);
    assert.equal(g.language, lang, text);
    assert.ok(g.confidence > 0 && g.confidence <= 1, `${lang}: ${g.confidence}`);
  }
});

test("says 'und' for text too short or without language clues", () => {
  for (const text of ['', 'Hello', 'Oslo', '12 345 678 — 90 %', 'https://example.org/a/b/c?x=1', 'ÄÖÜ ÄÖÜ']) {
    assert.deepEqual(detectLanguage(text), { language: 'und', confidence: 0 }, text);
  }
});

test('a long article is judged from its beginning and stays correct', () => {
  const para = SAMPLES.find(([l]) => l === 'de')![1];
  const g = detectLanguage(Array.from({ length: 400 }, () => para).join('\n\n'));
  assert.equal(g.language, 'de');
  assert.ok(g.confidence > 0.5);
});
