/** `modus check --json`: the same findings and exit code as the text output, as one JSON object. */
import { workspace, type Workspace } from './harness';

let ws: Workspace;
beforeEach(() => {
  ws = workspace();
});
afterEach(() => ws.remove());

interface JsonDiagnostic {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: string;
  code: string;
  message: string;
}

async function both(argv: string[]): Promise<{ code: number; json: JsonDiagnostic[]; textCode: number; textHeaders: string[] }> {
  const json = await ws.run(['check', '--json', ...argv]);
  expect(json.stderr).toBe('');
  const text = await ws.run(['check', ...argv]);
  const textHeaders = text.stderr.split('\n').filter((l) => /^\S+: (error|warning|note): /.test(l));
  return { code: json.code, json: (JSON.parse(json.stdout) as { diagnostics: JsonDiagnostic[] }).diagnostics, textCode: text.code, textHeaders };
}

/** The text output's first line of a finding, rebuilt from its JSON. */
function header(d: JsonDiagnostic): string {
  return `${d.file}:${d.line}:${d.column}: ${d.severity}: ${d.message.split('\n')[0]}`;
}

describe('modus check --json', () => {
  test('a clean file: no diagnostics, exit 0', async () => {
    ws.write('Modusfile', 'app :- from("alpine").\n');
    expect(await ws.run(['check', '--json'])).toEqual({ code: 0, stdout: '{"diagnostics":[]}\n', stderr: '' });
  });

  test('a syntax error: start and end positions, severity, code', async () => {
    ws.write('Modusfile', 'base("alpine").\napp :- from("alpine") run("x").\n');
    const r = await both([]);
    expect(r.code).toBe(1);
    expect(r.textCode).toBe(1);
    expect(r.json).toEqual([
      expect.objectContaining({ file: 'Modusfile', line: 2, column: 23, endLine: 2, endColumn: 26, severity: 'error', code: 'SyntaxError' }),
    ]);
    expect(r.json.map(header)).toEqual(r.textHeaders);
  });

  test('static-check errors and warnings: the same findings as the text output', async () => {
    ws.write('kinds.mf', 'img :- from("a"), (run("x"))::foo("y").\np(x) :- q(x), !p(x).\nq("a").\n');
    const r = await both(['-f', 'kinds.mf']);
    expect(r.code).toBe(1);
    expect(r.json.length).toBeGreaterThan(0);
    expect(r.json.map(header)).toEqual(r.textHeaders);
    expect(r.json.every((d) => d.code.length > 0 && d.endLine >= d.line)).toBe(true);
  });

  test('a warning alone exits 0, as check does', async () => {
    ws.write('Modusfile', 'a :- b.\nb :- a.\n');
    const r = await both([]);
    expect([r.code, r.textCode]).toEqual([0, 0]);
    expect(r.json).toContainEqual(expect.objectContaining({ line: 1, column: 6, severity: 'warning', message: '`b` not determined yet.\nnote: Therefore, couldn\'t evaluate clause with head a.' }));
    expect(r.json.map(header)).toEqual(r.textHeaders);
  });

  test('an unreadable file and invalid UTF-8 are diagnostics too', async () => {
    const missing = await ws.run(['check', '--json', 'nowhere']);
    expect(missing.code).toBe(1);
    expect(JSON.parse(missing.stdout)).toEqual({
      diagnostics: [
        { file: 'nowhere/Modusfile', line: 1, column: 1, endLine: 1, endColumn: 1, severity: 'error', code: 'ReadError', message: 'cannot read nowhere/Modusfile: no such file or directory' },
      ],
    });
    ws.write('Modusfile', new Uint8Array([0x61, 0x20, 0xff, 0x2e]));
    const bad = await both([]);
    expect(bad.code).toBe(1);
    expect(bad.json).toEqual([expect.objectContaining({ line: 1, column: 3, endColumn: 4, code: 'ReadError' })]);
  });

  test('`-f -` reads standard input; --stdin-filename names it in the findings', async () => {
    const text = 'a :- b.\nb :- a.\napp :- from("alpine") run("x").\n';
    const named = await ws.run(['check', '--json', '-f', '-', '--stdin-filename', 'src/Modusfile'], { stdin: text });
    expect(named.code).toBe(1);
    const findings = (JSON.parse(named.stdout) as { diagnostics: JsonDiagnostic[] }).diagnostics;
    expect(findings).toEqual([expect.objectContaining({ file: 'src/Modusfile', line: 3, column: 23, code: 'SyntaxError' })]);
    ws.write('Modusfile', text);
    const fromFile = (JSON.parse((await ws.run(['check', '--json'])).stdout) as { diagnostics: JsonDiagnostic[] }).diagnostics;
    expect(findings).toEqual(fromFile.map((d) => ({ ...d, file: 'src/Modusfile' })));
    const plain = await ws.run(['check', '-f', '-'], { stdin: 'a :- b.\nb :- a.\n' });
    expect(plain).toEqual(expect.objectContaining({ code: 0 }));
    expect(plain.stderr).toMatch(/^<stdin>:1:6: warning: /);
    expect(plain.stderr).toMatch(/<stdin>: no errors, 2 warnings\n$/);
  });
});
