/**
 * Facts of plain strings are read straight from the text (grammar/plain-fact.ts): they must give
 * exactly the clauses the scanner and the direct parser give, and leave everything else to them.
 */
import fc from 'fast-check';
import { createAstBuilder } from '../../../grammar/ast-builder';
import { parseModusfile } from '../../../grammar/index';
import { Dot, tokenize } from '../../../grammar/lexer';
import { readPlainFact } from '../../../grammar/plain-fact';
import { SourceFile } from '../../../grammar/source';

/** Each `.`-ended clause parsed from the tokens, and the builder's diagnostics. */
function viaTokens(text: string) {
  const file = new SourceFile('Modusfile', text);
  const { tokens } = tokenize(file);
  const builder = createAstBuilder(file);
  const clauses: unknown[] = [];
  let start = 0;
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i]!.tokenType !== Dot) continue;
    clauses.push(builder.parseClause(tokens, start, i + 1));
    start = i + 1;
  }
  return { clauses, diagnostics: builder.diagnostics };
}

const space = fc.constantFrom('', ' ', '  ', '\t', '\n', '\r\n', '\u00a0', '\ufeff', '# note\n');
const name = fc.stringMatching(/^[a-z_][a-z0-9_-]{0,6}$/);
const stringContent = fc.array(fc.constantFrom('a', 'Z', '0', ' ', '-', '/', 'é', '✓', '\n', '\r', '\\n', '\\"', '\\\\', '#', '(', ')', ',', '.', "'"), { maxLength: 6 }).map((cs) => cs.join(''));
const fact = fc
  .tuple(name, fc.array(stringContent, { minLength: 1, maxLength: 3 }), fc.array(space, { minLength: 6, maxLength: 6 }))
  .map(([n, args, s]) => `${s[0]}${n}${s[1]}(${s[2]}${args.map((a) => `"${a}"`).join(`${s[3]},${s[4]}`)}${s[5]}).`);

test('a file of facts, with any spacing, comments and strings, parses as through the tokens', () => {
  fc.assert(
    fc.property(fc.array(fact, { minLength: 1, maxLength: 5 }), (facts) => {
      const text = facts.join('\n');
      const parsed = parseModusfile(new SourceFile('Modusfile', text));
      const reference = viaTokens(text);
      expect(parsed.ast.clauses).toEqual(reference.clauses);
      expect(parsed.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      expect(parsed.diagnostics.length).toBe(reference.diagnostics.length);
    }),
    { numRuns: 300 },
  );
});

test('plain facts are read without tokens; anything else is left to the scanner and parser', () => {
  const text = ' arc( "n1" ,\t"n2" ) .rest';
  const fast = readPlainFact(text, 0);
  expect(fast).toEqual({ clause: viaTokens(text).clauses[0], next: text.indexOf('.') + 1 });
  for (const other of ['arc("a\\n").', 'arc("a\r\n").', 'arc().', 'arc.', '!arc("a").', 'arc("a") :- b.', 'arc(X).', '# c\narc("a").', 'arc("a")', 'arc("a"']) {
    expect(readPlainFact(other, 0)).toBeUndefined();
  }
});
