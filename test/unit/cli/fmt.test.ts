/** `modus fmt` through the program's entry point, in-process. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { imageMatrix, reachability } from '../../../bench/solver/programs';
import { workspace, type Workspace } from './harness';

const MESSY = 'a(X,Y):-b( X ) ,c . # trailing\nb("1"). c.\n';
const CANONICAL = 'a(X, Y) :- b(X), c. # trailing\nb("1").\nc.\n';

let ws: Workspace;
beforeEach(() => {
  ws = workspace();
});
afterEach(() => ws.remove());

const read = (name: string) => fs.readFileSync(path.join(ws.dir, name), 'utf8');

describe('modus fmt', () => {
  test('prints the canonical layout of ./Modusfile or of each FILE', async () => {
    ws.write('Modusfile', MESSY);
    ws.write('other.Modusfile', 'x:-y.\n');
    expect(await ws.run(['fmt'])).toEqual({ code: 0, stdout: CANONICAL, stderr: '' });
    expect(await ws.run(['fmt', 'Modusfile', 'other.Modusfile'])).toEqual({ code: 0, stdout: `${CANONICAL}x :- y.\n`, stderr: '' });
    expect(read('Modusfile')).toBe(MESSY);
  });

  test('-w rewrites the files that change', async () => {
    ws.write('Modusfile', MESSY);
    ws.write('ok.Modusfile', CANONICAL);
    const before = fs.statSync(path.join(ws.dir, 'ok.Modusfile')).mtimeMs;
    expect(await ws.run(['fmt', '-w', 'Modusfile', 'ok.Modusfile'])).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(read('Modusfile')).toBe(CANONICAL);
    expect(fs.statSync(path.join(ws.dir, 'ok.Modusfile')).mtimeMs).toBe(before);
  });

  test('--check names the files that would change and exits 1', async () => {
    ws.write('Modusfile', MESSY);
    ws.write('ok.Modusfile', CANONICAL);
    expect(await ws.run(['fmt', '--check', 'ok.Modusfile'])).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(await ws.run(['fmt', '--check', 'ok.Modusfile', 'Modusfile'])).toEqual({
      code: 1,
      stdout: '',
      stderr: 'Modusfile: not in the canonical layout (modus fmt -w Modusfile rewrites it)\n',
    });
    expect(read('Modusfile')).toBe(MESSY);
  });

  test('`-` is standard input: the result on stdout, --check exits 1 when it is not canonical', async () => {
    expect(await ws.run(['fmt', '-'], { stdin: MESSY })).toEqual({ code: 0, stdout: CANONICAL, stderr: '' });
    expect(await ws.run(['fmt', '--check', '-'], { stdin: CANONICAL })).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(await ws.run(['fmt', '--check', '-'], { stdin: MESSY })).toEqual({ code: 1, stdout: '', stderr: '<stdin>: not in the canonical layout\n' });
    const broken = await ws.run(['fmt', '--stdin-filename', 'app/Modusfile', '-'], { stdin: 'a :- b(.\n' });
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/^app\/Modusfile:1:8: error: /);
    expect(await ws.run(['fmt', '-'], { stdin: '' })).toEqual({ code: 0, stdout: '', stderr: '' });
    expect((await ws.run(['fmt', '-w', '-'], { stdin: MESSY })).stderr).toMatch(/^modus fmt: -w cannot rewrite standard input/);
    expect((await ws.run(['fmt', '-', '-'], { stdin: MESSY })).code).toBe(2);
  });

  test('a file that does not parse is reported and left alone', async () => {
    ws.write('Modusfile', 'a :- b(.\n');
    const r = await ws.run(['fmt', '-w']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^Modusfile:1:8: error: /);
    expect(read('Modusfile')).toBe('a :- b(.\n');
    expect((await ws.run(['fmt', 'missing'])).stderr).toBe('modus fmt: cannot read missing: no such file or directory\n');
    expect((await ws.run(['fmt', '-w', '--check'])).code).toBe(2);
  });
});

describe('modus fmt never changes meaning: same `proof --json` before and after', () => {
  const example = fs.readFileSync(path.join(__dirname, '../../../examples/hello/Modusfile'), 'utf8');
  const matrix = imageMatrix({ versions: 3, jreVersions: 1, distros: 2 });
  const reach = reachability(40);
  const cases: [string, string, string[]][] = [
    ['examples/hello', example, ['hello(X)', 'hello("fr")']],
    [matrix.name, matrix.modusfile, [matrix.goal]],
    [reach.name, reach.modusfile, [reach.goal]],
    [
      'comments, operators and negation',
      [
        'b("0"). b("1"). # facts',
        'app(mode) :- (from("alpine"), b(mode), run(f"echo ${mode} > /mode"), copy(".", "/src"), run("make"))::set_workdir("/app")::set_env("MODE", mode).',
        'pick(x) :- b(x), # only the first',
        '  !(x = "1"); x = "none".',
      ].join('\n'),
      ['app(X)', 'pick(X)'],
    ],
  ];

  test.each(cases)('%s', async (_name, text, goals) => {
    ws.write('Modusfile', text);
    const before = await Promise.all(goals.map((g) => ws.run(['proof', '--json', g])));
    expect((await ws.run(['fmt', '-w'])).code).toBe(0);
    expect((await ws.run(['fmt', '--check'])).code).toBe(0);
    const after = await Promise.all(goals.map((g) => ws.run(['proof', '--json', g])));
    // stdout and the exit code; warnings on stderr name lines, which the layout may move.
    expect(after.map((r) => [r.code, r.stdout])).toEqual(before.map((r) => [r.code, r.stdout]));
    expect(before.every((r) => r.code === 0 && r.stdout.includes('"literal"'))).toBe(true);
  });
});
