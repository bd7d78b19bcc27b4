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
