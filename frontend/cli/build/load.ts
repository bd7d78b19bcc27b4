/**
 * Read the Modusfile, load it and solve a build goal, reporting every problem on stderr the way
 * `modus check`/`proof` do. Shared by build, transpile and llb.
 */
import { decodeSource } from '../../../grammar/index';
import { hasErrors } from '../../../grammar/source';
import { loadProgramText, planSolutions, solveGoal, type GoalSolution, type LoadedProgram } from '../../pipeline';
import type { BuildPlan } from '../../planner/plan';
import type { CostFunction } from '../../solver/proof';
import { ImageAvailability, solveWithAvailability } from '../../caching/availability';
import { localImageResolver } from '../image-resolver';
import type { CliIO } from '../io';
import { readModusfile, reportDiagnostics } from '../commands/shared';

export interface GoalRequest {
  command: string;
  modusfile: string;
  goal: string;
  cost: CostFunction;
  budget?: number;
  buildArgs: Record<string, string>;
}

export interface SolvedBuild {
  program: LoadedProgram;
  solutions: GoalSolution[];
}

/**
 * The goal's distinct image solutions, or undefined after reporting why there are none. With
 * cost `available`, `docker` (when given) is asked which base images exist, as the frontend asks
 * the gateway, so that both choose the same proofs.
 */
export async function solveBuildGoal(req: GoalRequest, io: CliIO, docker?: string): Promise<SolvedBuild | undefined> {
  const read = readModusfile(req.modusfile, io);
  if ('error' in read) {
    io.stderr(`modus ${req.command}: cannot read ${req.modusfile}: ${read.error}\n`);
    return undefined;
  }
  const decoded = decodeSource(read.bytes, req.modusfile);
  const loaded = decoded.file ? loadProgramText(decoded.file) : { diagnostics: decoded.diagnostics };
  if (!loaded.program) {
    reportDiagnostics(io, loaded.diagnostics, decoded.file);
    return undefined;
  }
  const program = loaded.program;
  reportDiagnostics(io, program.warnings, program.file);
  const solveWith = (isAvailable?: (ref: string) => boolean | undefined) =>
    solveGoal(program, req.goal, {
      cost: req.cost,
      ...(isAvailable ? { isAvailable } : {}),
      buildArgs: req.buildArgs,
      forBuild: true,
      ...(req.budget === undefined ? {} : { budget: req.budget }),
    });
  const solved =
    req.cost === 'available' && docker !== undefined
      ? (await solveWithAvailability(new ImageAvailability(localImageResolver({ docker })), program.ir, solveWith)).result
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
export function frontendBuildArgs(req: GoalRequest, costGiven: boolean): Record<string, string> {
  const args = { ...req.buildArgs };
  if (costGiven) args.MODUS_COST = req.cost;
  if (req.budget !== undefined) args.MODUS_BUDGET = String(req.budget);
  return args;
}
