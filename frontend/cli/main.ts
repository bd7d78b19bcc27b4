/**
 * The `modus` program: check, proof, build, bake, transpile, llb. Exit codes: 0 success, 1 a handled
 * error (diagnostics, no solution, failed build), 2 a usage error.
 */
import { bakeCommand } from './commands/bake';
import { buildCommand } from './commands/build';
import { checkCommand } from './commands/check';
import { llbCommand } from './commands/llb';
import { proofCommand } from './commands/proof';
import { transpileCommand } from './commands/transpile';
import { UsageError } from './args';
import { processIO, type CliIO, type Command } from './io';

export const COMMANDS: readonly Command[] = [checkCommand, proofCommand, buildCommand, bakeCommand, transpileCommand, llbCommand];

export const VERSION = '0.2.0';

function help(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'modus: build container images from Modusfiles (a Datalog dialect) through BuildKit',
    '',
    'Usage: modus <command> [options]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `modus <command> --help` for the options of a command.',
    '',
  ].join('\n');
}

export async function main(argv: readonly string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    (name === undefined ? io.stderr : io.stdout)(help());
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-V') {
    io.stdout(`modus ${VERSION}\n`);
    return 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.stderr(`modus: unknown command \`${name}\`\n\n${help()}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(`${command.usage}\n`);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(`modus ${command.name}: ${err.message}\n\n${command.usage}\n`);
      return 2;
    }
    io.stderr(`modus ${command.name}: internal error: ${err instanceof Error ? err.message : String(err)}\n`);
    if (io.env.MODUS_DEBUG) io.stderr(`${err instanceof Error ? err.stack : ''}\n`);
    return 1;
  }
}

/** Runs the program on this process's arguments and sets its exit code. */
export function runCli(): void {
  main(process.argv.slice(2), processIO()).then(
    (code) => {
      process.exitCode = code;
    },
    () => {
      process.exitCode = 1;
    },
  );
}

if (require.main === module) runCli();
