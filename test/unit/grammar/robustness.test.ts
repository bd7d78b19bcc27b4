/** No input makes the grammar throw, hang or overflow the stack: problems are diagnostics. */
import fc from 'fast-check';
import { decodeSource, MAX_NESTING, MAX_REPORTED_ERRORS, parseGoal, parseModusfile } from '../../../grammar';
import { SourceFile, type Diagnostic } from '../../../grammar/source';
import { parseErrors, parseOk } from './helpers';

function pseudoRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state / 0x7fffffff;
  };
}

function garbage(length: number, alphabet: string, seed: number): string {
  const next = pseudoRandom(seed);
  const chars: string[] = [];
  for (let i = 0; i < length; i++) chars.push(alphabet[Math.floor(next() * alphabet.length)]!);
  return chars.join('');
}

/** CPU milliseconds spent by `run` (less sensitive than wall time to a busy machine). */
function cpuMilliseconds(run: () => void): number {
  const before = process.cpuUsage();
  run();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
}

function expectOnlyDiagnostics(text: string): void {
  const file = new SourceFile('Modusfile', text);
  const parsed = parseModusfile(file);
  for (const d of parsed.diagnostics) {
    expect(typeof d.message).toBe('string');
    if (d.span) {
      expect(d.span.start).toBeGreaterThanOrEqual(0);
      expect(d.span.end).toBeLessThanOrEqual(text.length + 1);
    }
  }
  expect(parsed.diagnostics.length).toBeLessThanOrEqual(MAX_REPORTED_ERRORS + 1);
  const goal = parseGoal(new SourceFile('goal', text));
  expect(goal.goal !== undefined || goal.diagnostics.length > 0).toBe(true);
}

const modusAlphabet = 'ab_X f"\\$#{}()[],;.:-!=\n\t\r';

describe('robustness', () => {
  test('arbitrary strings never throw', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 200 }), expectOnlyDiagnostics), { numRuns: 300, seed: 1 });
  });

  test('strings made of Modus punctuation never throw', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...modusAlphabet.split('')), maxLength: 120 }), expectOnlyDiagnostics),
      { numRuns: 500, seed: 2 },
    );
  });

  test('arbitrary bytes never throw', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const decoded = decodeSource(bytes, 'Modusfile');
        if (decoded.file) expectOnlyDiagnostics(decoded.file.text);
        else expect(decoded.diagnostics).toHaveLength(1);
      }),
      { numRuns: 500, seed: 3 },
    );
  });

  test('1 MB of garbage: capped errors, quickly', () => {
    for (const [alphabet, seed] of [
      [garbage(128, Array.from({ length: 128 }, (_, i) => String.fromCharCode(i)).join(''), 9), 4],
      [modusAlphabet, 5],
      ['ab(),;:-!= [', 6],
    ] as const) {
      const text = garbage(1_000_000, alphabet, seed);
      let diagnostics: Diagnostic[] = [];
      const cpu = cpuMilliseconds(() => {
        diagnostics = parseModusfile(new SourceFile('Modusfile', text)).diagnostics;
      });
      expect(cpu).toBeLessThan(3000);
      expect(diagnostics).toHaveLength(MAX_REPORTED_ERRORS + 1);
      expect(diagnostics[MAX_REPORTED_ERRORS]!.message).toMatch(/^\d+ more errors not shown$/);
      expect(diagnostics[MAX_REPORTED_ERRORS]!.severity).toBe('note');
    }
  });

  test('many long clauses with errors at their ends stay fast', () => {
    const text = `a :- ${'b(X), '.repeat(2000)}.\n`.repeat(25);
    let diagnostics: Diagnostic[] = [];
    const cpu = cpuMilliseconds(() => {
      diagnostics = parseModusfile(new SourceFile('Modusfile', text)).diagnostics;
    });
    expect(cpu).toBeLessThan(3000);
    expect(diagnostics).toHaveLength(MAX_REPORTED_ERRORS + 1);
    expect(diagnostics[0]!.message).toBe('expected an expression but found `.`');
    const goal = parseGoal(new SourceFile('goal', `${'b, '.repeat(100_000)}.`));
    expect(goal.diagnostics).toHaveLength(1);
  });

  test('10,000 nested parentheses or brackets: one error, no stack overflow', () => {
    const deepBody = `a :- ${'('.repeat(10_000)}b${')'.repeat(10_000)}.`;
    const errors = parseErrors(deepBody);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toBe(`expression nested too deeply (limit ${MAX_NESTING})`);
    expect(errors[0]!.span!.start).toBe('a :- '.length + MAX_NESTING);
    expect(parseErrors(`a([${'['.repeat(10_000)}${']'.repeat(10_000)}]).`)[0]!.message).toMatch(/nested too deeply/);
    const goal = parseGoal(new SourceFile('goal', `${'!('.repeat(10_000)}b${')'.repeat(10_000)}`));
    expect(goal.diagnostics[0]!.message).toMatch(/nested too deeply/);
  });

  test('nesting up to the limit parses, and later clauses are still read', () => {
    const ast = parseOk(`a :- ${'('.repeat(MAX_NESTING)}b${')'.repeat(MAX_NESTING)}.\nc.`);
    expect(ast.clauses).toHaveLength(2);
    const deep = parseModusfile(new SourceFile('M', `a :- ${'('.repeat(1000)}b${')'.repeat(1000)}.\nc.`));
    expect(deep.ast.clauses.map((c) => c.head.name)).toEqual(['c']);
  });

  test('long flat input does not recurse', () => {
    expect(parseOk(`a :- ${Array(20_000).fill('b').join(', ')}.`).clauses).toHaveLength(1);
    expect(parseOk(`a :- b${'::op'.repeat(20_000)}.`).clauses).toHaveLength(1);
    expect(parseOk(`a :- ${'!'.repeat(20_000)}b.`).clauses[0]!.body).toMatchObject({ negated: false });
  });

  test('a NUL byte is a positioned error', () => {
    const errors = parseErrors('a :- b\0.');
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toBe('unexpected control character U+0000');
    expect(errors[0]!.span).toEqual({ start: 6, end: 7 });
  });

  test('CRLF line endings work', () => {
    const file = new SourceFile('Modusfile', 'a :-\r\n  b,\r\n  c.\r\nd :- e(\r\n.\r\n');
    const { ast, diagnostics } = parseModusfile(file);
    expect(ast.clauses).toHaveLength(1);
    expect(diagnostics).toHaveLength(1);
    expect(file.location(diagnostics[0]!.span!.start)).toBe('Modusfile:5:1');
  });

  test('an unterminated string, plain or format, is reported at its start', () => {
    for (const text of ['a :- run("abc).\nb.', 'a :- run(f"abc ${X}).', 'a("']) {
      const errors = parseErrors(text);
      expect(errors).toHaveLength(1);
      expect(errors[0]!.message).toMatch(/unterminated string/);
      expect(errors[0]!.span!.start).toBe(text.search(/f?"/));
    }
  });
});

describe('decodeSource', () => {
  const bytes = (...values: number[]): Uint8Array => new Uint8Array(values);

  test('valid UTF-8, with and without a byte-order mark', () => {
    const text = 'a("é😀").';
    const encoded = new TextEncoder().encode(text);
    expect(decodeSource(encoded, 'M').file?.text).toBe(text);
    expect(decodeSource(new Uint8Array([0xef, 0xbb, 0xbf, ...encoded]), 'M').file?.text).toBe(text);
  });

  test.each([
    ['a stray continuation byte', [0x61, 0x0a, 0x62, 0x80], 'M:2:2'],
    ['an invalid lead byte', [0xff], 'M:1:1'],
    ['a truncated sequence', [0x61, 0x62, 0xe2, 0x82], 'M:1:3'],
    ['an overlong encoding', [0xc0, 0xaf], 'M:1:1'],
    ['an encoded surrogate', [0x61, 0xed, 0xa0, 0x80], 'M:1:2'],
    ['after multi-byte characters', [0xc3, 0xa9, 0xc3, 0xa9, 0xff], 'M:1:3'],
  ])('reports %s at its line and column', (_name, values, location) => {
    const result = decodeSource(bytes(...values), 'M');
    expect(result.file).toBeUndefined();
    expect(result.diagnostics).toHaveLength(1);
    const [d] = result.diagnostics;
    expect(d!.message).toMatch(/not valid UTF-8/);
    expect(d!.file!.location(d!.span!.start)).toBe(location);
  });
});
