import { renderDiagnostic, renderDiagnostics } from '../../../frontend/diagnostics/render';
import { parseModusfile } from '../../../grammar';
import { SourceFile, type Diagnostic } from '../../../grammar/source';

const file = new SourceFile('Modusfile', 'a.\nb.\napp :- from("alpine"), run("x".\n');

describe('renderDiagnostic', () => {
  test('header, source line, caret and note', () => {
    const start = file.text.indexOf('"x".') + 3;
    const d: Diagnostic = { severity: 'error', message: 'expected `)` but found `.`', span: { start, end: start + 1 }, notes: ['a note'] };
    expect(renderDiagnostic(d, file)).toBe(
      [
        'Modusfile:3:31: error: expected `)` but found `.`',
        '   3 | app :- from("alpine"), run("x".',
        '     |                               ^',
        '   = note: a note',
      ].join('\n'),
    );
  });

  test('a caret run under the whole span; only the first line of a multi-line span', () => {
    const text = 'a :- run("one\ntwo").';
    const source = new SourceFile('M', text);
    const start = text.indexOf('"');
    const lines = renderDiagnostic({ severity: 'warning', message: 'w', span: { start, end: text.length - 2 } }, source).split('\n');
    expect(lines[0]).toBe('M:1:10: warning: w');
    expect(lines[1]).toBe('   1 | a :- run("one');
    expect(lines[2]).toBe(`     | ${' '.repeat(start)}^^^^`);
    expect(lines).toHaveLength(3);
  });

  test('secondary labels with `-` underlines and messages, primary line first', () => {
    const text = 'foo(X) :- bar(X),\n  baz(X), .';
    const [d] = parseModusfile(new SourceFile('Modusfile', text)).diagnostics;
    const out = renderDiagnostic(d!, undefined).split('\n');
    expect(out[0]).toBe('Modusfile:2:11: error: expected an expression but found `.`');
    expect(out[1]).toBe('   2 |   baz(X), .');
    expect(out[2]).toBe('     |           ^');
    expect(out[3]).toBe('   1 | foo(X) :- bar(X),');
    expect(out).toContain('     | --------- in this rule');
    expect(out.some((line) => /^ {5}\| {11}-+ in the body of the rule$/.test(line))).toBe(true);
  });

  test('a diagnostic file wins over the default file', () => {
    const other = new SourceFile('other.modus', 'x.');
    expect(renderDiagnostic({ severity: 'error', message: 'm', span: { start: 0, end: 1 }, file: other }, file).split('\n')[0]).toBe('other.modus:1:1: error: m');
  });

  test('without a span, and without a file', () => {
    expect(renderDiagnostic({ severity: 'error', message: 'no goal given' }, file)).toBe('Modusfile: error: no goal given');
    expect(renderDiagnostic({ severity: 'note', message: 'just so', notes: ['n'] }, undefined)).toBe('note: just so\n   = note: n');
  });

  test('tabs keep the caret aligned', () => {
    const text = '\ta :-\t\tb(\t"x" .';
    const source = new SourceFile('M', text);
    const at = text.indexOf('.');
    const [, line, caret] = renderDiagnostic({ severity: 'error', message: 'm', span: { start: at, end: at + 1 } }, source).split('\n');
    const column = line!.indexOf('.');
    expect(caret!.indexOf('^')).toBe(column);
    expect(line).not.toContain('\t');
  });

  test('an empty span at the end of the input gets one caret after the last character', () => {
    const source = new SourceFile('M', 'a :- b');
    const [, line, caret] = renderDiagnostic({ severity: 'error', message: 'm', span: { start: 6, end: 6 } }, source).split('\n');
    expect(line).toBe('   1 | a :- b');
    expect(caret).toBe('     |       ^');
  });

  test('CRLF sources render without the carriage return', () => {
    const source = new SourceFile('M', 'a :- b\r\nc :- .\r\n');
    const out = renderDiagnostic({ severity: 'error', message: 'm', span: { start: 13, end: 14 } }, source);
    expect(out).toBe('M:2:6: error: m\n   2 | c :- .\n     |      ^');
  });

  test('wide line numbers widen the gutter', () => {
    const source = new SourceFile('M', `${'\n'.repeat(12344)}x`);
    const out = renderDiagnostic({ severity: 'error', message: 'm', span: { start: 12344, end: 12345 } }, source);
    expect(out).toBe('M:12345:1: error: m\n 12345 | x\n       | ^');
  });

  test('colour codes only when asked', () => {
    const d: Diagnostic = { severity: 'error', message: 'm', span: { start: 0, end: 1 } };
    expect(renderDiagnostic(d, file)).not.toContain('\u001b[');
    const coloured = renderDiagnostic(d, file, { color: true });
    expect(coloured).toContain('\u001b[');
    expect(coloured.replace(/\u001b\[[0-9;]*m/g, '')).toBe(renderDiagnostic(d, file));
  });
});

describe('renderDiagnostics', () => {
  test('sorted by position, stable, unpositioned last', () => {
    const at = (start: number, message: string): Diagnostic => ({ severity: 'error', message, span: { start, end: start + 1 } });
    const out = renderDiagnostics([{ severity: 'note', message: 'summary' }, at(3, 'second'), at(0, 'first'), at(3, 'third')], file);
    const headers = out.split('\n').filter((line) => /(error|note):/.test(line) && !line.startsWith(' '));
    expect(headers).toEqual([
      'Modusfile:1:1: error: first',
      'Modusfile:2:1: error: second',
      'Modusfile:2:1: error: third',
      'Modusfile: note: summary',
    ]);
  });

  test('an empty list renders as nothing', () => {
    expect(renderDiagnostics([], file)).toBe('');
  });
});
