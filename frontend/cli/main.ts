/**
 * The `modus` program: check, proof, build, bake, transpile, llb, fmt, completion, help,
 * version. Exit codes: 0 success, 1 a handled error (diagnostics, no solution, failed build),
 * 2 a usage error.
 */
import { checkCommand } from './commands/check';
import { fmtCommand } from './commands/fmt';
import { proofCommand } from './commands/proof';
import { UsageError } from './args';
import { processIO, type CliIO, type Command, type CommandBody } from './io';
import { completions, completionScript, SHELLS } from './completion';
import { didYouMean } from '../diagnostics/suggest';

/**
 * A command whose module (and what only it needs: LLB, protobuf, docker clients) is loaded when
 * it runs or its usage is read, so that `check` and `proof` do not pay for loading it.
 */
function deferred(name: string, summary: string, load: () => CommandBody): Command {
  let body: CommandBody | undefined;
  const loaded = (): CommandBody => (body ??= load());
  return {
    name,
    summary,
    get usage() {
      return loaded().usage;
    },
    run: (argv, io) => loaded().run(argv, io),
  };
}

const COMMANDS: readonly Command[] = [
  checkCommand,
  proofCommand,
  deferred('build', 'build every solution of a goal as its own image, in parallel through BuildKit', () =>
    (require('./commands/build') as { buildCommand: typeof import('./commands/build').buildCommand }).buildCommand,
  ),
  deferred('bake', 'print a buildx bake file that builds every solution of a goal', () =>
    (require('./commands/bake') as { bakeCommand: typeof import('./commands/bake').bakeCommand }).bakeCommand,
  ),
  deferred('transpile', 'print a multi-stage Dockerfile that builds the same images', () =>
    (require('./commands/transpile') as { transpileCommand: typeof import('./commands/transpile').transpileCommand }).transpileCommand,
  ),
  deferred('llb', 'print the LLB the frontend would send, as deterministic JSON', () =>
    (require('./commands/llb') as { llbCommand: typeof import('./commands/llb').llbCommand }).llbCommand,
  ),
  fmtCommand,
];

const VERSION = '0.2.0';

function help(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length), 'completion'.length);
  return [
    'modus: build container images from Modusfiles (a Datalog dialect) through BuildKit',
    '',
    'Usage: modus <command> [options]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    `  ${'completion'.padEnd(width)}  print a shell completion script: modus completion bash|zsh|fish`,
    `  ${'help'.padEnd(width)}  show the options of a command: modus help <command>`,
    `  ${'version'.padEnd(width)}  print the version`,
    '',
    'Run `modus help <command>` (or `modus <command> --help`) for the options of a command.',
    '',
  ].join('\n');
}

const COMMAND_NAMES = [...COMMANDS.map((c) => c.name), 'completion', 'help', 'version'];

/** What a wrong command line gets: the problem, the usage line, where the rest is (as docker does). */
function usageProblem(io: CliIO, message: string, command?: Command): number {
  const usageLine = command ? command.usage.split('\n')[0]! : 'Usage: modus <command> [options]';
  const more = command ? `modus help ${command.name}` : 'modus help';
  io.stderr(`${command ? `modus ${command.name}` : 'modus'}: ${message}\n${usageLine}\nRun \`${more}\` for more information.\n`);
  return 2;
}

function findCommand(name: string): Command | undefined {
  return COMMANDS.find((c) => c.name === name);
}

function helpFor(topic: string | undefined, io: CliIO): number {
  if (topic === undefined) {
    io.stdout(help());
    return 0;
  }
  const command = findCommand(topic);
  if (!command) return usageProblem(io, `no command \`${topic}\`${didYouMean(topic, COMMAND_NAMES, (s) => `\`${s}\``)}`);
  io.stdout(`${command.usage}\n`);
  return 0;
}

export async function main(argv: readonly string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    io.stderr(help());
    return 2;
  }
  if (name === 'help' || name === '--help' || name === '-h') return helpFor(rest[0], io);
  if (name === '__complete') {
    io.stdout(completions(rest, COMMANDS, ['completion', 'help', 'version'], io.cwd).map((c) => `${c}\n`).join(''));
    return 0;
  }
  if (name === 'completion') {
    const script = rest.length === 1 ? completionScript(rest[0]!) : undefined;
    if (script === undefined) return usageProblem(io, `completion needs one of ${SHELLS.join(', ')}`);
    io.stdout(script);
    return 0;
  }
  if (name === 'version' || name === '--version' || name === '-V') {
    io.stdout(`modus ${VERSION}\n`);
    return 0;
  }
  const command = findCommand(name);
  if (!command) {
    const what = name.startsWith('-') ? `unknown option ${name}` : `unknown command \`${name}\``;
    return usageProblem(io, `${what}${didYouMean(name, COMMAND_NAMES, (s) => `\`${s}\``)}`);
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(`${command.usage}\n`);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (err) {
    if (err instanceof UsageError) return usageProblem(io, err.message, command);
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
