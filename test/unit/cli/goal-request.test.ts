/** Every command that solves a goal reads the goal, the Modusfile, cost, budget and build args alike. */
import { workspace, type Workspace } from './harness';

const MODUSFILE = [
  '# The same image two ways: 3 layers at height 1 (first clause), or 1 layer at height 3.',
  'many :- from("alpine"), run("1"), run("2"), run("3").',
  'many :- one.',
  'one :- two.',
  'two :- from("alpine"), run("x").',
  '',
].join('\n');

const GOAL_COMMANDS = ['proof', 'build', 'bake', 'transpile', 'llb'] as const;
/** Options that keep each command away from any docker client. */
const OFFLINE: Record<(typeof GOAL_COMMANDS)[number], string[]> = {
  proof: [],
  build: ['--docker', '/nonexistent/docker'],
  bake: [],
  transpile: ['--offline'],
  llb: ['--offline'],
};

let ws: Workspace;
beforeEach(() => {
  ws = workspace();
  ws.write('ctx/Modusfile', MODUSFILE);
});
afterEach(() => ws.remove());

test.each(GOAL_COMMANDS)('%s: a bad MODUS_BUDGET build arg is a usage error, as --budget is', async (command) => {
  const viaBuildArg = await ws.run([command, ...OFFLINE[command], '--build-arg', 'MODUS_BUDGET=lots', 'ctx', 'many']);
  expect(viaBuildArg.code).toBe(2);
  expect(viaBuildArg.stderr).toContain('--budget must be a positive whole number, not `lots`');
});

test.each(GOAL_COMMANDS)('%s: the MODUS_BUDGET build arg limits the local solve', async (command) => {
  const r = await ws.run([command, ...OFFLINE[command], '--build-arg', 'MODUS_BUDGET=1', 'ctx', 'many']);
  expect(r.code).toBe(1);
  expect(r.stderr).toMatch(/budget/);
});

test.each(GOAL_COMMANDS)('%s: a bad MODUS_COST build arg is a usage error', async (command) => {
  const r = await ws.run([command, ...OFFLINE[command], '--build-arg', 'MODUS_COST=cheapest', 'ctx', 'many']);
  expect(r.code).toBe(2);
  expect(r.stderr).toContain('--cost must be one of layers, height, first, available, not `cheapest`');
});

test('proof: the MODUS_COST build arg chooses the proof, as in a build; --cost wins over it', async () => {
  const layers = async (...argv: string[]) => JSON.parse((await ws.run(['proof', '--json', ...argv, 'ctx', 'many'])).stdout).solutions[0].layers;
  expect(await layers()).toBe(1);
  expect(await layers('--build-arg', 'MODUS_COST=first')).toBe(3);
  expect(await layers('--build-arg', 'MODUS_COST=first', '--cost', 'layers')).toBe(1);
});

test('the positionals: [CONTEXT] GOAL for proof, transpile and llb; CONTEXT GOAL for build and bake', async () => {
  for (const command of ['proof', 'transpile', 'llb']) {
    expect((await ws.run([command])).stderr).toContain('missing GOAL');
    expect((await ws.run([command, 'a', 'b', 'c'])).stderr).toContain('expected [CONTEXT] GOAL, got 3 arguments');
  }
  for (const command of ['build', 'bake']) {
    expect((await ws.run([command, 'many'])).stderr).toContain('expected CONTEXT and GOAL');
    expect((await ws.run([command, 'a', 'b', 'c'])).stderr).toContain('expected CONTEXT GOAL, got 3 arguments');
  }
  const missing = await ws.run(['transpile', '--offline', 'nowhere', 'many']);
  expect(missing.stderr).toBe('modus transpile: cannot read nowhere/Modusfile: no such file or directory\n');
});
