/** Facts built straight from their tokens are the clauses the parser and the CST visitor build. */
import { createAstBuilder } from '../../../grammar/ast-builder';
import { tokenize } from '../../../grammar/lexer';
import { parseTokens } from '../../../grammar/parser';
import { SourceFile } from '../../../grammar/source';

function bothWays(text: string) {
  const file = new SourceFile('Modusfile', text);
  const { tokens } = tokenize(file);
  const direct = createAstBuilder(file);
  const viaParser = createAstBuilder(file);
  const outcome = parseTokens(tokens, 'clause', file);
  return {
    direct: { clause: direct.buildFlatFact(tokens), diagnostics: direct.diagnostics },
    viaParser: { clause: outcome.cst ? viaParser.buildClause(outcome.cst) : undefined, diagnostics: [...outcome.diagnostics, ...viaParser.diagnostics] },
  };
}

describe('flat facts', () => {
  test.each([
    'a.',
    '  name_with-dash .',
    'arc("n0", "n1").',
    'f("esc \\" \\\\ \\n \\$ bad", X, _, __, _Named).',
    'v(f"pre ${X} \\${Y} post", "multi\nline", "cont\\\n   inued").',
    'g( "a" ,\n  "b"  ) .',
    'e("unknown \\q escape").',
  ])('%j', (text) => {
    const { direct, viaParser } = bothWays(text);
    expect(direct.clause).toBeDefined();
    expect(direct).toEqual(viaParser);
  });

  test.each(['a :- b.', '!a.', 'a("x")::set_env("a", "b").', 'a(["x"]).', 'a("x",).', 'a().', 'a("x" "y").', 'a(X = "x").'])(
    '%j goes through the parser',
    (text) => {
      const file = new SourceFile('Modusfile', text);
      expect(createAstBuilder(file).buildFlatFact(tokenize(file).tokens)).toBeUndefined();
    },
  );
});
