import { commands } from './commands/index.ts';
import { UsageError, UserError, type CliIO } from './command.ts';

const VERBS = new Set(['train', 'eval', 'predict']);
const display = (name: string) => name.replace(/^(train|eval|predict)-/, '$1 ');

function help(): string {
  const width = Math.max(...Object.keys(commands).map((n) => n.length));
  const lines = Object.entries(commands).map(([name, c]) => `  ${display(name).padEnd(width)}  ${c.summary}`);
  return `unspin — how a news article works on its reader\n\nUsage: unspin <command> [options]\n\nCommands:\n${lines.join('\n')}\n\nRun 'unspin <command> --help' for a command's options.\n`;
}

export async function main(argv: string[], io: CliIO = process): Promise<number> {
  let [name, ...rest] = argv;
  // `unspin train techniques` is the command registered as 'train-techniques' (same for eval, predict).
  if (name && VERBS.has(name) && rest[0] && !rest[0].startsWith('-') && commands[`${name}-${rest[0]}`]) {
    name = `${name}-${rest[0]}`;
    rest = rest.slice(1);
  }
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(help());
    return name ? 0 : 2;
  }
  if (name === '--version' || name === '-v') {
    const { createRequire } = await import('node:module');
    io.stdout.write(`${createRequire(import.meta.url)('../../package.json').version}\n`);
    return 0;
  }
  const entry = commands[name];
  if (!entry && VERBS.has(name)) {
    const known = Object.keys(commands).filter((n) => n.startsWith(`${name}-`)).map((n) => n.slice(name!.length + 1));
    io.stderr.write(`unspin ${name}: say what to ${name}: ${known.join(', ') || '(nothing yet)'}\n`);
    return 2;
  }
  if (!entry) {
    io.stderr.write(`unspin: unknown command '${name}'. Run 'unspin --help'.\n`);
    return 2;
  }
  const command = await entry.load();
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(command.usage.endsWith('\n') ? command.usage : command.usage + '\n');
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr.write(`unspin ${display(name)}: ${err.message}\nRun 'unspin ${display(name)} --help' for usage.\n`);
      return err.exitCode;
    }
    if (err instanceof UserError) {
      io.stderr.write(`unspin ${display(name)}: ${err.message}\n`);
      return err.exitCode;
    }
    io.stderr.write(`unspin ${display(name)}: internal error: ${(err as Error)?.stack ?? String(err)}\n`);
    return 70;
  }
}
