/**
 * `modus transpile [OPTIONS] [CONTEXT] GOAL`: print a multi-stage Dockerfile that builds the
 * goal's images with Docker's built-in frontend (one named stage per image: `--target STAGE`).
 * Base images' working directories come from the local image store when a daemon answers.
 */
import { hasErrors } from '../../../grammar/source';
import { transpile } from '../../transpile';
import { formatOptions, optionValue, optionValues, parseArgs, UsageError, type OptionSpec, type ParsedArgs } from '../args';
import type { CliIO, Command } from '../io';
import { baseRefs, inspectBases } from '../build/bases';
import { clientCommand } from '../build/docker';
import { planOrReport, solveBuildGoal, type GoalRequest } from '../build/load';
import { COST_FUNCTIONS, MODUSFILE_OPTION, modusfilePath, parseBudget, parseBuildArgs, parseCost, reportDiagnostics } from './shared';

const OPTIONS: readonly OptionSpec[] = [
  MODUSFILE_OPTION,
  { name: 'build-arg', value: true, repeatable: true, valueName: 'K=V', description: 'a fact build_arg("K", "V") (repeatable)' },
  { name: 'cost', value: true, valueName: COST_FUNCTIONS.join('|'), description: 'how a proof is chosen per solution (default: layers)' },
  { name: 'budget', value: true, valueName: 'N', description: 'most resolution steps the solver may take' },
  { name: 'offline', description: 'do not ask the docker daemon for base image working directories (assume /)' },
  { name: 'docker', value: true, valueName: 'PATH', description: 'the docker client (default: $MODUS_DOCKER or docker)' },
];

const USAGE = `Usage: modus transpile [OPTIONS] [CONTEXT] GOAL

Prints a multi-stage Dockerfile that builds the images of GOAL with Docker's built-in frontend:
one stage per build step and one named stage per image (build it with --target STAGE; the header
lists them). Warnings name what a Dockerfile cannot express (cache operators).

Options:
${formatOptions(OPTIONS)}`;

interface TranspileRequest extends GoalRequest {
  offline: boolean;
  docker: string;
}

function request(args: ParsedArgs, io: CliIO): TranspileRequest {
  const [context, goal] = contextAndGoal(args.positionals);
  const buildArgs = parseBuildArgs(optionValues(args, 'build-arg'));
  const budget = parseBudget(optionValue(args, 'budget') ?? buildArgs.MODUS_BUDGET);
  return {
    command: 'transpile',
    modusfile: modusfilePath(optionValue(args, 'modusfile'), context),
    goal,
    cost: parseCost(optionValue(args, 'cost') ?? buildArgs.MODUS_COST),
    ...(budget === undefined ? {} : { budget }),
    buildArgs,
    offline: args.flags.has('offline'),
    docker: clientCommand(optionValue(args, 'docker'), io.env),
  };
}

/** `[CONTEXT] GOAL`, as `modus proof` takes them. */
export function contextAndGoal(positionals: readonly string[]): [string, string] {
  if (positionals.length === 1) return ['.', positionals[0]!];
  if (positionals.length === 2) return [positionals[0]!, positionals[1]!];
  throw new UsageError(positionals.length === 0 ? 'missing GOAL' : `expected [CONTEXT] GOAL, got ${positionals.length} arguments`);
}

async function runTranspile(argv: readonly string[], io: CliIO): Promise<number> {
  const req = request(parseArgs(argv, OPTIONS), io);
  const solved = await solveBuildGoal(req, io, req.offline ? undefined : req.docker);
  if (!solved) return 1;
  const plan = planOrReport(solved, io);
  if (!plan) return 1;
  const bases = req.offline ? new Map() : await inspectBases(req.docker, baseRefs(plan), io.env);
  const baseWorkdirs = new Map([...bases].map(([ref, base]) => [ref, String(base.config.config.WorkingDir ?? '')] as const));
  const result = transpile(plan, { baseWorkdirs, file: solved.program.file, goal: req.goal.trim() });
  reportDiagnostics(io, result.diagnostics, solved.program.file);
  if (hasErrors(result.diagnostics)) return 1;
  io.stdout(result.dockerfile);
  return 0;
}

export const transpileCommand: Command = {
  name: 'transpile',
  summary: 'print a multi-stage Dockerfile that builds the same images',
  usage: USAGE,
  run: runTranspile,
};
