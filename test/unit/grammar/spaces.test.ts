/**
 * Separators may go between any two tokens: re-joining the tokens of a program with nothing, a
 * space, a newline or a comment line between each pair must give the same AST.
 */
import fc from 'fast-check';
import { tokenize } from '../../../grammar/lexer';
import { SourceFile } from '../../../grammar/source';
import { parseOk, stripSpans } from './helpers';

const SEPARATORS = ['', ' ', '\n', '\n# Comment\n'];

const SAMPLES = [
  `app(mode) :-
  ( mode = "dev",  from("gcc:12"), copy(".", "/src"), run("make -C /src")
  ; mode = "prod", from("alpine"), app("dev")::copy("/src/app", "/usr/bin/app")
  )::set_workdir("/work")::set_entrypoint(["/usr/bin/app", "--serve"]).`,
  `base(V) :- from(f"alpine:\${ V }"), run("apk add \\
      git").
ok(X) :- !!!bad(X, _), X != "1", [] = [], [X] = [_y].
fact("a", "b").
bad("2", __).
neg :- !((a, b); (c, d)), e; f::merge.`,
  `go(X, Y) :- version(X), number_gt(X, "2"), (Y = f"\\\${literal} $ \${X}", run(Y))::in_workdir("/w").
version("1"). version("3").`,
];

function tokenImages(text: string): string[] {
  const { tokens, diagnostics } = tokenize(new SourceFile('sample', text));
  expect(diagnostics).toEqual([]);
  return tokens.map((t) => t.image);
}

describe('separators between tokens', () => {
  test.each(SAMPLES.map((s, i) => [i, s] as const))('sample %i keeps its AST', (_index, sample) => {
    const expected = stripSpans(parseOk(sample));
    expect(expected.clauses.length).toBeGreaterThan(0);
    const images = tokenImages(sample);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: SEPARATORS.length - 1 }), { minLength: images.length, maxLength: images.length }), (choices) => {
        const text = images.map((image, i) => (i === 0 ? image : SEPARATORS[choices[i]!]! + image)).join('');
        expect(stripSpans(parseOk(text).clauses)).toEqual(expected.clauses);
      }),
      { numRuns: 60, seed: 42 },
    );
  });

  test.each(SEPARATORS.map((s) => [JSON.stringify(s), s] as const))('every gap filled with %s', (_name, separator) => {
    for (const sample of SAMPLES) {
      const text = tokenImages(sample).join(separator);
      expect(stripSpans(parseOk(text).clauses)).toEqual(stripSpans(parseOk(sample).clauses));
    }
  });
});
