/**
 * `modus proof` output on generated benchmark programs, pinned by a hash of the bytes: the answers,
 * their order, the chosen proofs and layer counts must not move when the pipeline is made faster.
 */
import { createHash } from 'node:crypto';
import { imageMatrix, largeMatrix, MATRIX_400, reachability, type BenchProgram } from '../../../bench/solver/programs';
import { workspace, type Workspace } from './harness';

const MATRIX = largeMatrix({ versions: 20, variants: 3, distros: 10, excluded: 7 });

let ws: Workspace;
beforeEach(() => {
  ws = workspace();
});
afterEach(() => ws.remove());

async function proofOutput(program: BenchProgram, options: string[]): Promise<{ code: number; hash: string; length: number }> {
  ws.write('Modusfile', program.modusfile);
  const result = await ws.run(['proof', ...options, program.goal]);
  expect(result.stderr).toBe('');
  return { code: result.code, hash: createHash('sha256').update(result.stdout).digest('hex').slice(0, 16), length: result.stdout.length };
}

describe('modus proof on generated programs (golden hashes)', () => {
  test.each([
    ['--json', MATRIX, [], 'bcefe251b2cc81f8', 71561],
    ['--json', imageMatrix(MATRIX_400), [], 'c608cadba7538227', 49136],
    ['--json', reachability(1000), [], '8ed150e0a2c1d517', 78996],
  ] as const)('%s %#', async (_name, program, options, hash, length) => {
    expect(await proofOutput(program, ['--json', ...options])).toEqual({ code: 0, hash, length });
  });

  test.each([
    ['tree', MATRIX, [], '8ff9a87ce5bdc641', 222543],
    ['tree --compact', imageMatrix(MATRIX_400), ['--compact'], '7aa9b9d6f7794a67', 206329],
  ] as const)('%s %#', async (_name, program, options, hash, length) => {
    expect(await proofOutput(program, [...options])).toEqual({ code: 0, hash, length });
  });
});
