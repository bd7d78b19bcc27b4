import { clauseDescription, parseModusfile } from '../../../grammar';
import { tokenize } from '../../../grammar/lexer';
import { SourceFile } from '../../../grammar/source';
import { parseErrors, parseOk, stripSpans } from './helpers';

function tokenNames(text: string): string[] {
  return tokenize(new SourceFile('t', text)).tokens.map((t) => `${t.tokenType.name}:${t.image}`);
}

describe('lexer', () => {
  test('empty input and input made only of separators', () => {
    expect(parseOk('').clauses).toEqual([]);
    expect(parseOk('   \n\t\n').clauses).toEqual([]);
    expect(parseOk('# only a comment').clauses).toEqual([]);
    expect(parseOk('# one\n# two\n\n   # three\n').clauses).toEqual([]);
  });

  test('a comment at the end of the file without a newline', () => {
    expect(parseOk('a. # done').clauses).toHaveLength(1);
    expect(parseOk('a :- b. #').clauses).toHaveLength(1);
  });

  test('comments wherever whitespace may go', () => {
    const text = [
      '# syntax=modus-frontend:dev',
      'a(X, # first',
      '  Y) # head done',
      '  :- # implies',
      '  b(X) # literal',
      '  , # and',
      '  !c # negated',
      '  ::op # operator',
      '  ; X # or',
      '  = # unify',
      '  f"${ # inside an interpolation',
      '   Y # still inside',
      '  }". # end',
    ].join('\n');
    const ast = parseOk(text);
    expect(stripSpans(ast.clauses)).toEqual(stripSpans(parseOk('a(X, Y) :- b(X), !c::op; X = f"${Y}".').clauses));
    // Every comment is kept, except the ones inside `${ }` (part of the f-string token).
    expect(ast.comments.map((c) => c.text)).toEqual([
      ' syntax=modus-frontend:dev',
      ' first',
      ' head done',
      ' implies',
      ' literal',
      ' and',
      ' negated',
      ' operator',
      ' or',
      ' unify',
      ' end',
    ]);
  });

  test('comments keep their spans and whether they stand on their own line', () => {
    const text = '# top\r\na. # trailing\n  # indented\nb :- c. #';
    const { comments } = parseOk(text);
    expect(comments.map((c) => [c.text, text.slice(c.span.start, c.span.end), c.ownLine])).toEqual([
      [' top', '# top\r', true],
      [' trailing', '# trailing', false],
      [' indented', '# indented', true],
      ['', '#', false],
    ]);
  });

  test('the comment block directly above a clause is its description', () => {
    const text = [
      '# syntax=modus-frontend:dev',
      '# The application image.',
      '#   mode: "dev" or "release"',
      'app(mode) :- b.',
      '',
      '# Not attached: a blank line follows.',
      '',
      'b :- c, # trailing, not a description',
      '  # inside the clause',
      '  d.',
      'c.',
      '#',
      '# Two lines, the first empty.',
      '!d.',
    ].join('\n');
    const file = new SourceFile('Modusfile', text);
    const { ast } = parseModusfile(file);
    expect(ast.clauses.map((c) => clauseDescription(ast, c, file))).toEqual([
      'The application image.\n  mode: "dev" or "release"',
      undefined,
      undefined,
      '\nTwo lines, the first empty.',
    ]);
  });

  test('a first line `# syntax=...` is only a comment', () => {
    expect(parseOk('# syntax=modus-frontend:dev\nimg :- from("alpine").').clauses).toHaveLength(1);
  });

  test('`#` inside a string is text', () => {
    const ast = parseOk('a :- run("echo # not a comment").');
    expect(JSON.stringify(ast)).toContain('echo # not a comment');
  });

  test('f" is a format string, f alone an identifier', () => {
    expect(tokenNames('f"x" f "x" fx')).toEqual(['FString:f"x"', 'Ident:f', 'StringLit:"x"', 'Ident:fx']);
  });

  test('identifiers may contain `-` and digits, and start with `_`', () => {
    expect(tokenNames('my-app2 _x __ _')).toEqual(['Ident:my-app2', 'Ident:_x', 'Ident:__', 'Ident:_']);
  });

  test('two-character operators before their prefixes', () => {
    expect(tokenNames(':- :: != = !')).toEqual(['Implies::-', 'ColonColon:::', 'NotEquals:!=', 'Equals:=', 'Bang:!']);
  });

  test('stray characters are positioned errors', () => {
    const errors = parseErrors('a :- b @ c.');
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toBe('unexpected character `@`');
    expect(errors[0]!.span).toEqual({ start: 7, end: 8 });
  });

  test('a lone colon is not a token', () => {
    expect(parseErrors('a : b.')[0]!.message).toBe('unexpected character `:`');
  });

  test('a run of stray characters is one error', () => {
    const errors = parseErrors('a :- b :@%\u0001 c.\nd :- é.');
    expect(errors.map((e) => [e.message, e.span])).toEqual([
      ['unexpected character `:`', { start: 7, end: 11 }],
      ['unexpected character `é`', { start: 20, end: 21 }],
    ]);
  });

  test('stray characters do not hide errors in other clauses', () => {
    const errors = parseErrors('a :- @.\nb :- .\n');
    expect(errors).toHaveLength(2);
    expect(errors[1]!.message).toBe('expected an expression but found `.`');
  });
});
