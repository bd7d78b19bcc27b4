/**
 * Shell completion: the candidates `modus __complete` gives, and the scripts of bash, zsh and fish
 * run in the real shells with the real program (the bundle, dist/modus.js).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
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

const BUNDLE = path.resolve(__dirname, '../../../dist/modus.js');

/** The shells that are installed (scripts/setup-machine.sh installs all three), when the bundle is there. */
function available(shell: string): boolean {
  return fs.existsSync(BUNDLE) && spawnSync(shell, ['-c', 'exit 0']).status === 0;
}

/**
 * Types LINE and a Tab into an interactive zsh (compinit loaded, the script evaluated) through a
 * pseudo-terminal, then a key whose widget writes the edited line to OUT.
 */
const ZSH_DRIVER = `zmodload zsh/zpty
out=$1 line=$2
zpty -b z 'zsh -f -i'
zpty -w z "PS1='> '; autoload -Uz compinit; compinit -u -D; eval \\"\\$(modus completion zsh)\\"; dump() { print -r -- \\"\\$BUFFER\\" > \${(q)out}; }; zle -N dump; bindkey '^X' dump; print READY"
zpty -r -m z _ '*READY*READY*'
sleep 0.2
zpty -w -n z "$line"$'\\t\\C-x'
for i in {1..300}; do [[ -s $out ]] && break; sleep 0.1; done
zpty -d z
`;

describe.each(['bash', 'zsh', 'fish'])('the %s script with the real modus', (shell) => {
  const run = available(shell) ? test : test.skip;
  let env: NodeJS.ProcessEnv;
  beforeEach(() => {
    ws.write('bin/modus', `#!/bin/sh\nexec "${process.execPath}" "${BUNDLE}" "$@"\n`);
    fs.chmodSync(path.join(ws.dir, 'bin/modus'), 0o755);
    env = { PATH: `${path.join(ws.dir, 'bin')}:${process.env.PATH ?? ''}`, HOME: ws.dir, TERM: 'xterm' };
  });

  /** The line with its last word replaced by the one candidate, or followed by all of them. */
  const withCandidates = (line: string, candidates: string[]): string =>
    candidates.length === 1 ? `${line.slice(0, line.lastIndexOf(' ') + 1)}${candidates[0]}` : `${line} [${candidates.join(' ')}]`;

  /** The command line after completing its last word (one candidate, or what they have in common). */
  function completeLine(line: string): string {
    if (shell === 'bash') {
      const words = line.split(' ').map((w) => `'${w}'`).join(' ');
      const script = `eval "$(modus completion bash)"; COMP_WORDS=(${words}); COMP_CWORD=$((\${#COMP_WORDS[@]}-1)); _modus; printf '%s\\n' "\${COMPREPLY[@]}"`;
      const candidates = spawnSync('bash', ['-c', script], { cwd: ws.dir, env, encoding: 'utf8' }).stdout.split('\n').filter((c) => c !== '');
      return withCandidates(line, candidates);
    }
    if (shell === 'fish') {
      const r = spawnSync('fish', ['--no-config', '-c', 'modus completion fish | source; complete -C $argv[1]', line], { cwd: ws.dir, env, encoding: 'utf8' });
      const candidates = r.stdout.split('\n').filter((c) => c !== '').map((c) => c.split('\t')[0]);
      return withCandidates(line, candidates);
    }
    const out = path.join(ws.dir, 'zsh-line');
    fs.rmSync(out, { force: true });
    ws.write('driver.zsh', ZSH_DRIVER);
    spawnSync('zsh', ['-f', path.join(ws.dir, 'driver.zsh'), out, line], { cwd: ws.dir, env, timeout: 60_000 });
    return fs.existsSync(out) ? fs.readFileSync(out, 'utf8').trimEnd() : '(no line)';
  }

  run('commands, options, goal predicates of the Modusfile, and files where no candidate fits', () => {
    expect(completeLine('modus pr')).toBe('modus proof');
    expect(completeLine('modus check --j')).toBe('modus check --json');
    expect(completeLine('modus proof a')).toBe('modus proof app');
    expect(completeLine('modus build ctx o')).toBe('modus build ctx other');
    expect(completeLine('modus proof -f my.Modusfile m')).toBe('modus proof -f my.Modusfile mine');
    expect(completeLine('modus fmt my.M')).toBe('modus fmt my.Modusfile');
    expect(completeLine('modus completion f')).toBe('modus completion fish');
  }, 120_000);
});
