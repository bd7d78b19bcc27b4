/** Shell completion: the candidates `modus __complete` gives, and the bash glue around them. */
import { spawnSync } from 'node:child_process';
import { workspace, type Workspace } from './harness';
import { startsProcesses } from '../../support/process-tests';

startsProcesses();

let ws: Workspace;
beforeEach(() => {
  ws = workspace();
  ws.write('Modusfile', 'app(mode) :- from("a").\napp("x") :- from("b").\nhelper.\n');
  ws.write('ctx/Modusfile', 'other :- from("c").\n');
  ws.write('my.Modusfile', 'mine :- from("d").\n');
});
afterEach(() => ws.remove());

async function complete(...words: string[]): Promise<string[]> {
  const r = await ws.run(['__complete', ...words]);
  expect(r.code).toBe(0);
  return r.stdout.split('\n').filter((l) => l !== '');
}

describe('modus __complete', () => {
  test('commands, then the options of a command', async () => {
    expect(await complete('')).toEqual(expect.arrayContaining(['check', 'proof', 'build', 'fmt', 'completion', 'help', 'version']));
    expect(await complete('pr')).toEqual(['proof']);
    expect(await complete('check', '--j')).toEqual(['--json']);
    expect(await complete('build', '--no-c')).toEqual(['--no-cache', '--no-cache-filter']);
    expect(await complete('help', 'tr')).toEqual(['transpile']);
    expect(await complete('completion', '')).toEqual(['bash', 'zsh', 'fish']);
  });

  test('goal predicates from ./Modusfile, CONTEXT/Modusfile or -f FILE', async () => {
    expect(await complete('proof', '')).toEqual(['app', 'helper']);
    expect(await complete('proof', 'a')).toEqual(['app']);
    expect(await complete('build', 'ctx', '')).toEqual(['other']);
    expect(await complete('proof', '-f', 'my.Modusfile', '')).toEqual(['mine']);
    expect(await complete('proof', '--file=my.Modusfile', 'm')).toEqual(['mine']);
  });

  test('nothing (so the shell offers files) after -f and for commands that take files', async () => {
    expect(await complete('proof', '-f', '')).toEqual([]);
    expect(await complete('fmt', '')).toEqual([]);
  });

  test('a script per shell; another shell is a usage error', async () => {
    for (const shell of ['bash', 'zsh', 'fish']) {
      const r = await ws.run(['completion', shell]);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('modus __complete');
    }
    expect((await ws.run(['completion', 'tcsh'])).code).toBe(2);
  });

  test('the bash script filters the candidates by the word and falls back to files', async () => {
    const script = (await ws.run(['completion', 'bash'])).stdout;
    const run = (words: string, candidates: string) =>
      spawnSync('bash', ['-c', `${script}\nmodus() { printf '${candidates}'; }\nCOMP_WORDS=(${words}); COMP_CWORD=$((\${#COMP_WORDS[@]}-1)); _modus; printf '%s\\n' "\${COMPREPLY[@]}"`], {
        cwd: ws.dir,
        encoding: 'utf8',
      }).stdout;
    expect(run('modus pr', 'proof\\nprint\\nbuild\\n')).toBe('proof\nprint\n');
    expect(run('modus fmt my.M', '')).toBe('my.Modusfile\n');
  });
});
