import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { printModusfile } from '../../../grammar';
import { tokenize } from '../../../grammar/lexer';
import { SourceFile } from '../../../grammar/source';
import { modusfileArbitrary } from './arbitraries';
import { expectCanonical, fmt } from './helpers';

describe('modus fmt layout', () => {
  test('a clause that fits is one line, with canonical spacing', () => {
    expect(fmt('a(X,Y):-b( X ) ,c\n  ;d::op( "x" ) ,X!=Y.\nfact( "a" ,[ "b",c ] ) .')).toBe(
      'a(X, Y) :- b(X), c; d::op("x"), X != Y.\nfact("a", ["b", c]).\n',
    );
  });

  test('past the width: one item per line, `; ` before each alternative, groups opened and closed on their own lines', () => {
    const text =
      'app(mode) :- from("alpine:3.19"), mode = "dev", run("apk add --no-cache build-base git curl"); mode = "release", (from("x"), run("make install DESTDIR=/out PREFIX=/usr/local"), run("strip /out/usr/local/bin/app"))::set_workdir("/out")::set_entrypoint(["/usr/local/bin/app", "--serve"]).';
    expect(expectCanonical(text)).toBe(
      [
        'app(mode) :-',
        '    from("alpine:3.19"),',
        '    mode = "dev",',
        '    run("apk add --no-cache build-base git curl")',
        '  ; mode = "release",',
        '    (',
        '      from("x"),',
        '      run("make install DESTDIR=/out PREFIX=/usr/local"),',
        '      run("strip /out/usr/local/bin/app")',
        '    )::set_workdir("/out")',
        '     ::set_entrypoint(["/usr/local/bin/app", "--serve"]).',
        '',
      ].join('\n'),
    );
  });

  test('a group that fits keeps its line; the operators that do not fit go under it', () => {
    const text = 'app :- (from("alpine:3.19"), run("make all"))::set_workdir("/some/rather/long/path")::set_env("A", "b").';
    expect(expectCanonical(text)).toBe(
      ['app :-', '  (from("alpine:3.19"), run("make all"))::set_workdir("/some/rather/long/path")', '   ::set_env("A", "b").', ''].join('\n'),
    );
  });

  test('a comment between `!` and what it negates stays there', () => {
    expect(expectCanonical('a :- ! # why\n  b, !\n# group\n(c; d).')).toBe('a :-\n  ! # why\n  b,\n  !\n  # group\n  (c; d).\n');
    expect(expectCanonical('a.\n\n! # why\nb.')).toBe('a.\n\n! # why\nb.\n');
    expect(expectCanonical('x :- ! # not\n  y("1", # one\n  "2"), z.')).toBe('x :-\n  ! # not\n  y("1", # one\n      "2"),\n  z.\n');
  });

  // The language reads `!` by parity and any run of underscores as `_` (docs/language.md), so
  // fmt writes the one spelling of each: `!!b` binds what `b` binds, which `!!` would hide.
  test('repeated `!` are written by their parity, and `__` as `_`', () => {
    expect(expectCanonical('a :- !!b, !!!b, !!(b; c), !!!(b, c), b(__, _, ___).')).toBe('a :- b, !b, (b; c), !(b, c), b(_, _, _).\n');
    expect(expectCanonical('!!a :- b.\n!!!c :- d.')).toBe('a :- b.\n!c :- d.\n');
    expect(expectCanonical('a :- ! # why\n  !b.')).toBe('a :-\n  # why\n  b.\n');
    expect(expectCanonical('a :- run(f"echo ${__} !!").')).toBe('a :- run(f"echo ${__} !!").\n');
  });

  test('the example is already canonical', () => {
    const example = fs.readFileSync(path.join(__dirname, '../../../examples/hello/Modusfile'), 'utf8');
    expect(fmt(example)).toBe(example);
  });

  test('every comment stays in place', () => {
    const text = [
      '# top',
      '',
      '',
      'a(X,Y):-b( X ) ,c . # trailing',
      'b :- c, # after c',
      '  # own line',
      '  d(',
      '  "x", # in args',
      '  Y), (e; f, g)::merge.',
      'e :- (a # inside',
      '  ).',
      'f :- g # before the dot',
      '  .',
      '   # last',
    ].join('\n');
    expect(expectCanonical(text)).toBe(
      [
        '# top',
        '',
        'a(X, Y) :- b(X), c. # trailing',
        'b :-',
        '  c, # after c',
        '  # own line',
        '  d("x", # in args',
        '      Y),',
        '  (e; f, g)::merge.',
        'e :-',
        '  (',
        '    a # inside',
        '  ).',
        'f :-',
        '  g # before the dot',
        '  .',
        '# last',
        '',
      ].join('\n'),
    );
  });

  test('a comment before a separator stays before it', () => {
    expect(expectCanonical('a :- b # before the comma\n, c.')).toBe('a :-\n  b # before the comma\n  , c.\n');
    expect(expectCanonical('a :- b # before the semicolon\n; c.')).toBe('a :-\n    b # before the semicolon\n  ; c.\n');
    expect(expectCanonical('a :- b(X # before the paren\n).')).toBe('a :-\n  b(X # before the paren\n      ).\n');
    expect(expectCanonical('a :- b([X # before the bracket\n]).')).toBe('a :-\n  b([X # before the bracket\n      ]).\n');
    expect(expectCanonical('a :- X # before the equals\n= "x".')).toBe('a :-\n  X # before the equals\n      = "x".\n');
    expect(expectCanonical('a :- b # before the operator\n::merge.')).toBe('a :-\n  b # before the operator\n   ::merge.\n');
    expect(expectCanonical('a # before the arrow\n:- b.')).toBe('a # before the arrow\n  :-\n  b.\n');
    expect(expectCanonical('a("x" # before the paren of a fact\n).')).toBe('a("x" # before the paren of a fact\n    ).\n');
  });

  test('strings, f-strings (with comments in interpolations) and line continuations are copied as written', () => {
    const text = 'a :- run(f"echo ${ X # the value\n } \\$x"), run("one \\\n  two"), b("\\t").\n';
    expect(expectCanonical(text)).toBe('a :-\n  run(f"echo ${ X # the value\n } \\$x"),\n  run("one \\\n  two"),\n  b("\\t").\n');
  });

  test('blank lines: at most one kept between clauses, none at the start or the end', () => {
    expect(fmt('\n\na.\n\n\n\nb.\nc.\n\n\n')).toBe('a.\n\nb.\nc.\n');
    expect(fmt('')).toBe('');
    expect(fmt('\n  # only\n')).toBe('# only\n');
  });
});

/** Tokens of a text, to be joined again with arbitrary separators. */
function tokenImages(text: string): string[] {
  return tokenize(new SourceFile('t', text)).tokens.map((t) => t.image);
}

const SEPARATORS = [' ', '', '\n', '  \n\n  ', ' # note\n', '\n# own line\n', '\t#\n', '\n\n'];

/** A Modusfile with arbitrary whitespace and comments between its tokens. */
const messyModusfile = modusfileArbitrary.chain((ast) => {
  const images = tokenImages(printModusfile(ast));
  return fc
    .array(fc.integer({ min: 0, max: SEPARATORS.length - 1 }), { minLength: images.length, maxLength: images.length })
    .map((choices) =>
      images
        .map((image, i) => {
          // Two adjacent names or a `f` before a string need a space between them.
          const separator = SEPARATORS[choices[i]!]!;
          return i === 0 ? image : (separator === '' ? ' ' : separator) + image;
        })
        .join(''),
    );
});

const COMMENTS = [' # trails\n', '\n# own line\n', '\t#\n  '];

/** A Modusfile with a comment in every gap between two tokens (and before the first). */
const commentEverywhere = modusfileArbitrary.chain((ast) => {
  const images = tokenImages(printModusfile(ast));
  return fc
    .array(fc.integer({ min: 0, max: COMMENTS.length - 1 }), { minLength: images.length, maxLength: images.length })
    .map((choices) => images.map((image, i) => `${COMMENTS[choices[i]!]!}${image}`).join(''));
});

describe('modus fmt properties', () => {
  test('a comment in every gap between tokens stays in its gap', () => {
    fc.assert(
      fc.property(commentEverywhere, (text) => {
        expectCanonical(text);
      }),
      { numRuns: 200, seed: 7 },
    );
  });

  test('fmt(fmt(x)) = fmt(x), and the clauses and comments are those of x', () => {
    fc.assert(
      fc.property(messyModusfile, (text) => {
        expectCanonical(text);
      }),
      { numRuns: 300, seed: 11 },
    );
  });

  test('narrow and wide layouts of generated Modusfiles', () => {
    fc.assert(
      fc.property(modusfileArbitrary, (ast) => {
        expectCanonical(printModusfile(ast));
      }),
      { numRuns: 300, seed: 5 },
    );
  });
});
