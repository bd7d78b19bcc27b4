/**
 * Steady-state solve time: the same goal solved N times in one process (JIT warm), on the programs
 * `run.sh` generated (default directory $TMPDIR/modus-solver-bench). Complements run.sh, whose
 * medians of a few runs include JIT warm-up.
 *
 *   bench/solver/run.sh --reps 9   # generates the programs (and measures)
 *   npx esbuild bench/solver/steady.ts --bundle --platform=node --outfile=dist/bench-steady.js \
 *     && node dist/bench-steady.js [DIR]
 */
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseGoal, parseModusfile } from '../../grammar/index';
import { SourceFile } from '../../grammar/source';
import { solve } from '../../frontend/solver/solve';
import { translateGoal, translateProgram } from '../../frontend/translate';

const dir = process.argv[2] ?? join(tmpdir(), 'modus-solver-bench');
const runs: Record<string, number> = { 'openjdk-40': 100, 'openjdk-400': 100, 'reach-1000': 100, 'reach-10000': 20 };

for (const [name, n] of Object.entries(runs)) {
  const text = readFileSync(join(dir, `${name}.Modusfile`), 'utf8');
  const goalText = readFileSync(join(dir, `${name}.goal`), 'utf8').trim();
  const ir = translateProgram(parseModusfile(new SourceFile('Modusfile', text)).ast);
  const goal = translateGoal(parseGoal(new SourceFile('goal', goalText)).goal!, ir);
  const start = performance.now();
  for (let i = 0; i < n; i++) solve(goal.program, goal.goals[0]!, { cost: 'layers' });
  console.log(`${name}: mean solve ${((performance.now() - start) / n).toFixed(2)} ms over ${n} solves in one process`);
}
