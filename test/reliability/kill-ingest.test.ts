import { test } from 'node:test';
import assert from 'node:assert/strict';
import { killIngest } from '../../scripts/reliability/kill-ingest.ts';

// The light variant of scripts/reliability/kill-ingest.ts (which runs 20 rounds by default).
test('crash safety: `unspin ingest` killed with SIGKILL 3 times leaves a sound database, and a rerun completes the corpus exactly once', { timeout: 240_000 }, async () => {
  const lines: string[] = [];
  const report = await killIngest({ rounds: 3, articles: 30, seed: 7, maxDelayMs: 4_000, log: (l) => lines.push(l) });
  assert.deepEqual(report.problems, [], lines.join('\n'));
  assert.equal(report.final.exitCode, 0, lines.join('\n'));
  assert.equal(report.final.stored, 30);
  assert.equal(report.final.inserted + report.final.skipped, 30);
  assert.ok(report.rounds.some((r) => r.killed), `at least one run was killed mid-way:\n${lines.join('\n')}`);
});
