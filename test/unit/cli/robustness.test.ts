/**
 * No input, however broken, makes `modus check` or `modus proof` crash, hang or flood the
 * terminal: diagnostics with a position, exit code 1, bounded output, in bounded time.
 */
import { CRASH_PATTERN, pseudoRandomBytes, workspace, type RunResult, type Workspace } from './harness';

const MODUS_ALPHABET = new TextEncoder().encode('abcXY_(),.:-;!=[]{}"\\$f# \n\t\'0123456789');
/** No newline, and no `#` (the rest of the line would be a comment). */
const SINGLE_LINE_ALPHABET = MODUS_ALPHABET.filter((b) => b !== 0x0a && b !== 0x23);
const MB = 1 << 20;

const INPUTS: Record<string, () => Uint8Array | string> = {
  'binary bytes': () => pseudoRandomBytes(64 * 1024, 7),
  'invalid UTF-8 after a valid clause': () => Buffer.concat([Buffer.from('a :- from("x").\nb :- run("'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('").\n')]),
  'an overlong UTF-8 encoding': () => Buffer.from([0x61, 0x20, 0xc0, 0xaf, 0x2e]),
  'a lone UTF-16 surrogate encoded in UTF-8': () => Buffer.from([0x61, 0xed, 0xa0, 0x80, 0x2e]),
  '1 MB of Modus-like garbage': () => pseudoRandomBytes(MB, 11, MODUS_ALPHABET),
  '1 MB of garbage on one line': () => pseudoRandomBytes(MB, 13, SINGLE_LINE_ALPHABET),
  '10,000 nested parentheses, balanced': () => `a :- ${'('.repeat(10_000)}from("x")${')'.repeat(10_000)}.\n`,
  '10,000 opening parentheses': () => `a :- ${'('.repeat(10_000)}\n`,
  '10,000 nested negations': () => `a :- ${'!('.repeat(10_000)}b${')'.repeat(10_000)}.\nb.\n`,
  '10,000 nested lists in a head': () => `a(${'['.repeat(10_000)}"x"${']'.repeat(10_000)}).\n`,
  'control characters and an ESC sequence': () => 'a :- from("x\u001b[2J"),\u0000 run("y").\n',
  'an unterminated string at the end': () => 'a :- from("x'.padEnd(50_000, 'y'),
  'an unterminated f-string interpolation': () => 'a :- run(f"${x'.padEnd(20_000, ' '),
};

let ws: Workspace;
beforeAll(() => {
  ws = workspace();
});
afterAll(() => ws.remove());

function expectDiagnosed(r: RunResult, file: string): void {
  expect(r.code).toBe(1);
  expect(r.stderr).not.toMatch(CRASH_PATTERN);
  expect(r.stderr.split('\n')[0]).toMatch(new RegExp(`^${file.replace('.', '\\.')}:\\d+:\\d+: error: `));
  // A screenful or so, not a copy of the input.
  expect(r.stderr.length).toBeLessThan(20_000);
  expect(r.stderr).not.toContain('\u001b');
}

describe.each(Object.entries(INPUTS))('%s', (name, make) => {
  const file = `${name.replace(/[^a-z0-9]+/gi, '-')}.mf`;
  beforeAll(() => ws.write(file, make()));

  test('modus check: diagnostics, exit 1', async () => {
    const started = Date.now();
    const r = await ws.run(['check', '-f', file]);
    expectDiagnosed(r, file);
    expect(r.stdout).toBe('');
    expect(Date.now() - started).toBeLessThan(20_000);
  }, 60_000);

  test('modus proof --json: diagnostics, exit 1, {"solutions": []}', async () => {
    const r = await ws.run(['proof', '--json', '-f', file, 'a']);
    expectDiagnosed(r, file);
    expect(r.stdout).toBe('{"solutions": []}\n');
  }, 60_000);
});

describe('broken goals', () => {
  beforeAll(() => ws.write('Modusfile', 'a :- from("alpine").\nb("x").\n'));

  test.each([
    ['10,000 nested parentheses', `${'('.repeat(10_000)}a${')'.repeat(10_000)}`],
    ['10,000 opening parentheses', '('.repeat(10_000)],
    ['a NUL and a lone surrogate', 'a\u0000\ud800'],
    ['100 kB of garbage', new TextDecoder().decode(pseudoRandomBytes(100_000, 17, MODUS_ALPHABET))],
    ['an empty goal', ''],
    ['trailing junk', 'a junk'],
  ])('%s: goal:LINE:COL diagnostics, exit 1', async (_name, goal) => {
    const r = await ws.run(['proof', goal]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).not.toMatch(CRASH_PATTERN);
    expect(r.stderr.split('\n')[0]).toMatch(/^goal:\d+:\d+: error: /);
    expect(r.stderr.length).toBeLessThan(20_000);
  }, 60_000);
});
