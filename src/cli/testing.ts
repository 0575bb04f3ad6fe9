import { PassThrough, Readable } from 'node:stream';
import { main } from './main.ts';

/** Runs the CLI in-process and captures what it prints (for tests). */
export async function runCli(argv: string[], stdin = ''): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = new PassThrough();
  const err = new PassThrough();
  let stdout = '';
  let stderr = '';
  out.on('data', (d) => (stdout += d));
  err.on('data', (d) => (stderr += d));
  const code = await main(argv, { stdout: out, stderr: err, stdin: Readable.from([Buffer.from(stdin)]) });
  return { code, stdout, stderr };
}
