/** `-f -`: proof, transpile and llb read the Modusfile from standard input; build and bake, which hand docker a path, refuse it. */
import { workspace } from './harness';

const ws = workspace();

test('proof, transpile and llb read standard input, named <stdin> in diagnostics', async () => {
  const proof = await ws.run(['proof', '-f', '-', 'a', '--json'], { stdin: 'a :- from("scratch").\n' });
  expect(proof.code).toBe(0);
  expect(proof.stdout).toContain('"literal": "a"');
  const transpile = await ws.run(['transpile', '-f', '-', 'a'], { stdin: 'a :- from("scratch").\n' });
  expect(transpile.code).toBe(0);
  expect(transpile.stdout).toContain('FROM scratch');
  const llb = await ws.run(['llb', '-f', '-', 'a', '--offline'], { stdin: 'a :- from("scratch").\n' });
  expect(llb.code).toBe(0);
  const broken = await ws.run(['proof', '-f', '-', 'a'], { stdin: 'a :- from("x") run("y").\n' });
  expect(broken.code).toBe(1);
  expect(broken.stderr).toMatch(/^<stdin>:1:16: error: /);
});

test('build and bake: -f - is a usage error naming why', async () => {
  for (const command of ['build', 'bake']) {
    const r = await ws.run([command, '-f', '-', '.', 'a'], { stdin: 'a :- from("scratch").\n' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`-f - (standard input) cannot be used with ${command}: docker reads the Modusfile from a file`);
  }
});
