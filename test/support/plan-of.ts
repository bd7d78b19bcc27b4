/** A build plan straight from Modusfile text and a goal, through the shared pipeline. */
import { SourceFile } from '../../grammar/source';
import { loadProgramText, planSolutions, solveGoal } from '../../frontend/pipeline';
import type { BuildPlan } from '../../frontend/planner/plan';

export function planOf(modusfile: string, goal: string): BuildPlan {
  const loaded = loadProgramText(new SourceFile('Modusfile', modusfile));
  if (!loaded.program) throw new Error(loaded.diagnostics.map((d) => d.message).join('\n'));
  const solved = solveGoal(loaded.program, goal, { cost: 'layers', forBuild: true });
  if (solved.solutions.length === 0) throw new Error(solved.diagnostics.map((d) => d.message).join('\n'));
  return planSolutions(solved.solutions).plan;
}

/**
 * The plan and the planner's messages, for tests of what the planner reports: a diagnostic error
 * before planning (parse, checks, solve) fails the test.
 */
export function planWithMessages(modusfile: string, goal: string): { plan: BuildPlan; messages: string[]; file: SourceFile } {
  const file = new SourceFile('Modusfile', modusfile);
  const loaded = loadProgramText(file);
  expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const solved = solveGoal(loaded.program!, goal, { cost: 'layers', forBuild: true });
  expect(solved.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const { plan, diagnostics } = planSolutions(solved.solutions);
  return { plan, messages: diagnostics.map((d) => d.message), file };
}
