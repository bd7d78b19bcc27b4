/**
 * What every command that solves a goal (`proof`, `build`, `bake`, `transpile`, `llb`) reads from
 * its command line: the context, the Modusfile, the goal, the cost function, the budget and the
 * build args; and the Modusfile it names, loaded with its problems reported. The cost and the
 * budget are read as the frontend reads them (`--cost`/`--budget`, else the build args
 * `MODUS_COST`/`MODUS_BUDGET`), so that a command chooses the proofs a build of the goal would.
 */
import * as path from 'node:path';
import { decodeSource } from '../../grammar/index';
import { parsePlatforms, platformBuildArgs, PlatformError } from '../llb/platform';
import type { Platform } from '../llb/types';
import { loadProgramText, type LoadedProgram } from '../pipeline';
import { budgetFrom, COST_FUNCTIONS, costFunctionNamed } from '../solver/options';
import type { CostFunction } from '../solver/proof';
import { optionValue, optionValues, UsageError, type OptionSpec, type ParsedArgs } from './args';
import type { CliIO } from './io';
import { displayName, readModusfile, reportDiagnostics, STDIN } from './commands/shared';

export interface GoalRequest {
  /** The command's name, for its messages (`modus build: …`). */
  command: string;
  context: string;
  /** The Modusfile's path as the user sees it in diagnostics. */
  modusfile: string;
  goal: string;
  cost: CostFunction;
  /** `--cost` was given (rather than the default or the build arg). */
  costGiven: boolean;
  budget?: number;
  buildArgs: Record<string, string>;
}

/**
 * The platforms of every `--platform` value given (each a comma-separated list; none when no
 * value), as the frontend reads its `platform` option; an empty or unknown one is a usage error
 * naming the option.
 */
export function platformsOption(values: readonly string[]): Platform[] {
  if (values.length === 0) return [];
  try {
    return parsePlatforms(values.join(','));
  } catch (err) {
    if (err instanceof PlatformError) throw new UsageError(`--platform: ${err.message}`);
    throw err;
  }
}

/** The platform images are built for when none is asked: this machine's, as docker names it. */
export function hostPlatform(): Platform {
  const names: Record<string, string> = { x64: 'amd64', ia32: '386', ppc64: 'ppc64le' };
  const architecture = names[process.arch] ?? process.arch;
  return architecture === 'arm' ? { os: 'linux', architecture, variant: 'v7' } : { os: 'linux', architecture };
}

/**
 * The build args a goal is solved with for `platform`: the automatic platform args as the
 * frontend sets them (`TARGETARCH`, `BUILDPLATFORM`, …), then the user's, which win; so
 * `build_arg("TARGETARCH", A)` solves here as it does in a build.
 */
export function solveArgs(req: Pick<GoalRequest, 'buildArgs'>, platform: Platform = hostPlatform()): Record<string, string> {
  return platformBuildArgs(platform, hostPlatform(), req.buildArgs);
}

/** `-f/--file` as docker spells it; `--modusfile` is the older name. */
export const MODUSFILE_OPTION: OptionSpec = {
  name: 'file',
  alias: 'f',
  longAliases: ['modusfile'],
  value: true,
  valueName: 'FILE',
  description: 'the Modusfile (default: CONTEXT/Modusfile)',
};

export const BUILD_ARG_OPTION: OptionSpec = {
  name: 'build-arg',
  value: true,
  repeatable: true,
  valueName: 'K=V',
  description: 'a fact build_arg("K", "V") (repeatable)',
};

export const COST_OPTION: OptionSpec = {
  name: 'cost',
  value: true,
  valueName: COST_FUNCTIONS.join('|'),
  description: 'how a proof is chosen per solution (default: build arg MODUS_COST, else layers)',
};

export const BUDGET_OPTION: OptionSpec = {
  name: 'budget',
  value: true,
  valueName: 'N',
  description: 'most resolution steps the solver may take (default: build arg MODUS_BUDGET)',
};

/** The goal options in the order `transpile` and `llb` list them. */
export const GOAL_OPTIONS: readonly OptionSpec[] = [MODUSFILE_OPTION, BUILD_ARG_OPTION, COST_OPTION, BUDGET_OPTION];

/** `[CONTEXT] GOAL` (the context defaults to `.`), or `CONTEXT GOAL` for the commands that build. */
type GoalPositionals = 'context-optional' | 'context-required';

/** Commands that hand the Modusfile's path to docker, so it must be a file. */
const NEEDS_A_FILE = new Set(['build', 'bake']);

export function readGoalRequest(command: string, args: ParsedArgs, positionals: GoalPositionals): GoalRequest {
  const [context, goal] = positionals === 'context-optional' ? optionalContextAndGoal(args.positionals) : contextAndGoal(args.positionals);
  if (NEEDS_A_FILE.has(command) && optionValue(args, 'modusfile') === STDIN) {
    throw new UsageError(`-f - (standard input) cannot be used with ${command}: docker reads the Modusfile from a file`);
  }
  const buildArgs = parseBuildArgs(optionValues(args, 'build-arg'));
  const costOption = optionValue(args, 'cost');
  const budget = parseBudget(optionValue(args, 'budget') ?? buildArgs.MODUS_BUDGET);
  return {
    command,
    context,
    modusfile: modusfileOf(args, context),
    goal,
    cost: parseCost(costOption ?? buildArgs.MODUS_COST),
    costGiven: costOption !== undefined,
    ...(budget === undefined ? {} : { budget }),
    buildArgs,
  };
}

/** The Modusfile's path as the user will see it in diagnostics: `-f FILE` as given, else CONTEXT/Modusfile. */
export function modusfileOf(args: ParsedArgs, context: string): string {
  return optionValue(args, 'modusfile') ?? path.join(context, 'Modusfile');
}

function optionalContextAndGoal(positionals: readonly string[]): [string, string] {
  if (positionals.length === 1) return ['.', positionals[0]!];
  if (positionals.length === 2) return [positionals[0]!, positionals[1]!];
  throw new UsageError(positionals.length === 0 ? 'missing GOAL' : `expected [CONTEXT] GOAL, got ${positionals.length} arguments`);
}

function contextAndGoal(positionals: readonly string[]): [string, string] {
  if (positionals.length === 2) return [positionals[0]!, positionals[1]!];
  throw new UsageError(positionals.length < 2 ? 'expected CONTEXT and GOAL' : `expected CONTEXT GOAL, got ${positionals.length} arguments`);
}

function parseCost(value: string | undefined): CostFunction {
  if (value === undefined) return 'layers';
  const cost = costFunctionNamed(value);
  if (!cost) throw new UsageError(`--cost must be one of ${COST_FUNCTIONS.join(', ')}, not \`${value}\``);
  return cost;
}

function parseBudget(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const budget = budgetFrom(value);
  if (budget === undefined) throw new UsageError(`--budget must be a positive whole number, not \`${value}\``);
  return budget;
}

/** `--build-arg K=V` values as a record (a later value of the same key wins, as in docker). */
function parseBuildArgs(values: readonly string[]): Record<string, string> {
  const args: Record<string, string> = {};
  for (const value of values) {
    const eq = value.indexOf('=');
    if (eq <= 0) throw new UsageError(`--build-arg needs KEY=VALUE, not \`${value}\``);
    args[value.slice(0, eq)] = value.slice(eq + 1);
  }
  return args;
}

/** The requested Modusfile read, parsed, checked and translated; undefined after reporting why not. */
export function loadRequestedProgram(req: Pick<GoalRequest, 'command' | 'modusfile'>, io: CliIO): LoadedProgram | undefined {
  const read = readModusfile(req.modusfile, io, true);
  const name = displayName(req.modusfile, undefined);
  if ('error' in read) {
    io.stderr(`modus ${req.command}: cannot read ${name}: ${read.error}\n`);
    return undefined;
  }
  const decoded = decodeSource(read.bytes, name);
  const loaded = decoded.file ? loadProgramText(decoded.file) : { diagnostics: decoded.diagnostics };
  if (!loaded.program) {
    reportDiagnostics(io, loaded.diagnostics, decoded.file);
    return undefined;
  }
  reportDiagnostics(io, loaded.program.warnings, loaded.program.file);
  return loaded.program;
}
