/**
 * Solve a build goal and plan it, reporting every problem on stderr the way `modus proof` does.
 * Shared by build, bake, transpile and llb.
 */
import { hasErrors } from '../../../grammar/source';
import { planSolutions, solveGoal, type GoalSolution, type LoadedProgram } from '../../pipeline';
import type { BuildPlan } from '../../planner/plan';
import { ImageAvailability, solveWithAvailability } from '../../caching/availability';
import { localImageResolver } from '../image-resolver';
import type { CliIO } from '../io';
import { loadRequestedProgram, solveArgs, type GoalRequest } from '../goal-request';
import type { Platform } from '../../llb/types';
import { reportDiagnostics } from '../commands/shared';

interface SolvedBuild {
  program: LoadedProgram;
  solutions: GoalSolution[];
}

/**
 * The goal's distinct image solutions, or undefined after reporting why there are none. With
 * cost `available`, `docker` (when given) is asked which base images exist, as the frontend asks
 * the gateway, so that both choose the same proofs. The goal is solved for `platform` (default:
 * this machine's), with the automatic platform build args a build for it has.
 */
export async function solveBuildGoal(req: GoalRequest, io: CliIO, docker?: string, platform?: Platform): Promise<SolvedBuild | undefined> {
  const program = loadRequestedProgram(req, io);
  return program && solveLoadedGoal(program, req, io, docker, platform);
}

/** solveBuildGoal on a program already loaded (one load for several platforms). */
export async function solveLoadedGoal(program: LoadedProgram, req: GoalRequest, io: CliIO, docker?: string, platform?: Platform): Promise<SolvedBuild | undefined> {
  const solveWith = (isAvailable?: (ref: string) => boolean | undefined) =>
    solveGoal(program, req.goal, {
      cost: req.cost,
      ...(isAvailable ? { isAvailable } : {}),
      buildArgs: solveArgs(req, platform),
      forBuild: true,
      ...(req.budget === undefined ? {} : { budget: req.budget }),
    });
  const solved =
    req.cost === 'available' && docker !== undefined
      ? (await solveWithAvailability(new ImageAvailability(localImageResolver({ docker, env: io.env })), program.ir, solveWith)).result
      : solveWith();
  if (solved.solutions.length === 0) {
    reportDiagnostics(io, solved.diagnostics, program.file);
    if (!hasErrors(solved.diagnostics)) io.stderr(`modus ${req.command}: goal \`${req.goal.trim()}\` has no solution\n`);
    return undefined;
  }
  return { program, solutions: solved.solutions };
}

/** The build plan of the solutions, or undefined after reporting its errors. */
export function planOrReport(build: SolvedBuild, io: CliIO): BuildPlan | undefined {
  const { plan, diagnostics } = planSolutions(build.solutions);
  reportDiagnostics(io, diagnostics, build.program.file);
  return hasErrors(diagnostics) ? undefined : plan;
}

/** Cost and budget also reach the frontend, as the build args it reads them from. */
export function frontendBuildArgs(req: GoalRequest): Record<string, string> {
  const args = { ...req.buildArgs };
  if (req.costGiven) args.MODUS_COST = req.cost;
  if (req.budget !== undefined) args.MODUS_BUDGET = String(req.budget);
  return args;
}
