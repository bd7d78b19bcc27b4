/** `modus check` through the program's entry point, in-process. */
import { workspace, type Workspace } from './harness';

const CLEAN = 'base("alpine").\napp(mode) :- base(b), from(b), run(f"echo ${mode}").\n';

let ws: Workspace;
beforeEach(() => {
  ws = workspace();
});
afterEach(() => ws.remove());

describe('modus check', () => {
  test('a clean Modusfile: exit 0 and no output at all', async () => {
    ws.write('Modusfile', CLEAN);
    expect(await ws.run(['check'])).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  test('FILE defaults to CONTEXT/Modusfile; -f is relative to the working directory', async () => {
    ws.write('ctx/Modusfile', 'app :- from("alpine"), run("x"\n');
    ws.write('other.mf', CLEAN);
    const inContext = await ws.run(['check', 'ctx']);
    expect(inContext.code).toBe(1);
    expect(inContext.stderr).toMatch(/^ctx\/Modusfile:1:/);
    expect(await ws.run(['check', '-f', 'other.mf', 'ctx'])).toEqual({ code: 0, stdout: '', stderr: '' });
    expect((await ws.run(['check', '--modusfile=other.mf'])).code).toBe(0);
  });

  test('a syntax error: FILE:LINE:COL: error: MESSAGE, then the source line, then a caret under the column', async () => {
    ws.write('Modusfile', 'base("alpine").\napp :- from("alpine") run("x").\n');
    const r = await ws.run(['check']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    const lines = r.stderr.split('\n');
    const header = /^Modusfile:(\d+):(\d+): error: (.+)$/.exec(lines[0]!);
    expect(header).not.toBeNull();
    expect(header![1]).toBe('2');
    const column = Number(header![2]);
    expect(column).toBe(23); // the `run` that should have been preceded by a comma
    expect(lines[1]).toMatch(/^\s+2 \| app :- from\("alpine"\) run\("x"\)\.$/);
    const sourceStart = lines[1]!.indexOf('| ') + 2;
    expect(lines[2]!.indexOf('^')).toBe(sourceStart + column - 1);
  });

  test('several errors in one file are all reported, in line order', async () => {
    ws.write('Modusfile', ['a :- from("x") run("y").', 'ok :- from("alpine").', 'b :- from("x"), run("y"', '.', 'c :- .'].join('\n'));
    const r = await ws.run(['check']);
    expect(r.code).toBe(1);
    const headers = r.stderr.split('\n').filter((l) => /^Modusfile:\d+:\d+: error: /.test(l));
    expect(headers.length).toBeGreaterThanOrEqual(3);
    const lineNumbers = headers.map((h) => Number(h.split(':')[1]));
    expect(lineNumbers).toEqual([...lineNumbers].sort((x, y) => x - y));
    expect(lineNumbers[0]).toBe(1);
    expect(lineNumbers).toContain(5);
  });

  test('errors of the static checks (kinds, unknown operator, stratification) exit 1', async () => {
    ws.write('kinds.mf', 'img :- from("a"), (run("x"))::foo("y").\n');
    ws.write('strat.mf', 'p(x) :- q(x), !p(x).\nq("a").\n');
    const kinds = await ws.run(['check', '-f', 'kinds.mf']);
    expect(kinds.code).toBe(1);
    expect(kinds.stderr).toMatch(/^kinds\.mf:1:\d+: error: Unknown operator: foo$/m);
    const strat = await ws.run(['check', '-f', 'strat.mf']);
    expect(strat.code).toBe(1);
    expect(strat.stderr).toMatch(/^strat\.mf:\d+:\d+: error: .*stratifiable/m);
  });

  test('warnings only: exit 0, the warnings and a one-line count', async () => {
    ws.write('Modusfile', 'a :- b.\nb :- a.\n');
    const r = await ws.run(['check']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^Modusfile:1:6: warning: `b` not determined yet\.$/m);
    expect(r.stderr.endsWith('Modusfile: no errors, 2 warnings\n')).toBe(true);
  });

  test('-v prints the kind notes', async () => {
    ws.write('Modusfile', CLEAN);
    const quiet = await ws.run(['check']);
    const verbose = await ws.run(['check', '-v']);
    expect(quiet.stderr).toBe('');
    expect(verbose.code).toBe(0);
    expect(verbose.stderr).toMatch(/^Modusfile:2:\d+: note: `app` is of kind `Image`$/m);
  });

  test('an unreadable file: "modus check: cannot read FILE: reason", exit 1', async () => {
    const missing = await ws.run(['check', 'nowhere']);
    expect(missing).toEqual({ code: 1, stdout: '', stderr: 'modus check: cannot read nowhere/Modusfile: no such file or directory\n' });
    ws.write('dir/x', '');
    const directory = await ws.run(['check', '-f', 'dir']);
    expect(directory).toEqual({ code: 1, stdout: '', stderr: 'modus check: cannot read dir: is a directory\n' });
  });

  test('usage errors exit 2', async () => {
    ws.write('Modusfile', CLEAN);
    expect((await ws.run(['check', 'a', 'b'])).code).toBe(2);
    expect((await ws.run(['check', '--bogus'])).code).toBe(2);
    expect((await ws.run(['check', '-f'])).code).toBe(2);
    const help = await ws.run(['check', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: modus check/);
  });

  test('colour only on a terminal and never with NO_COLOR', async () => {
    ws.write('Modusfile', 'a :- from("x") run("y").\n');
    const hasEscape = (s: string) => s.includes('\u001b[');
    expect(hasEscape((await ws.run(['check'])).stderr)).toBe(false);
    const tty = await ws.run(['check'], { isTTY: true });
    expect(hasEscape(tty.stderr)).toBe(true);
    expect(hasEscape((await ws.run(['check'], { isTTY: true, env: { NO_COLOR: '1' } })).stderr)).toBe(false);
    expect(tty.code).toBe(1);
  });
});
