/**
 * `modus transpile [OPTIONS] [CONTEXT] GOAL`: print a multi-stage Dockerfile that builds the
 * goal's images with Docker's built-in frontend (one named stage per image: `--target STAGE`).
 * Base images' working directories come from the local image store when a daemon answers.
 */
import { hasErrors } from '../../../grammar/source';
import { transpile } from '../../transpile';
import { formatOptions, optionValue, parseArgs, type OptionSpec, type ParsedArgs } from '../args';
import type { CliIO, CommandBody } from '../io';
import { baseRefs, inspectBases } from '../build/bases';
import { clientCommand } from '../build/docker';
import { planOrReport, solveBuildGoal } from '../build/load';
import { GOAL_OPTIONS, readGoalRequest, type GoalRequest } from '../goal-request';
import { reportDiagnostics } from './shared';

const OPTIONS: readonly OptionSpec[] = [
  ...GOAL_OPTIONS,
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
  return {
    ...readGoalRequest('transpile', args, 'context-optional'),
    offline: args.flags.has('offline'),
    docker: clientCommand(optionValue(args, 'docker'), io.env),
  };
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

/** Loaded when the command runs (name and summary: `frontend/cli/main.ts`). */
export const transpileCommand: CommandBody = {
  usage: USAGE,
  run: runTranspile,
};
