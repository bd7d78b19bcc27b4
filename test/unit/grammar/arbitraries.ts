/** fast-check generators of ASTs in the shapes the parser produces (spans are dummies). */
import fc from 'fast-check';
import type { Clause, Expression, FStringPart, Literal, Modusfile, Term } from '../../../grammar/ast';
import { quoteModusString } from '../../../grammar/quote';

const NO_SPAN = { start: 0, end: 0 };

const identifier = fc
  .tuple(fc.constantFrom('a', 'b', 'X', 'Y', '_', 'my', 'f', 'run'), fc.stringMatching(/^[A-Za-z0-9_-]{0,6}$/))
  .map(([first, rest]) => first + rest);

/** Names of variables: identifiers that are not only underscores (those are anonymous). */
const variableName = identifier.filter((name) => !/^_+$/.test(name));

const stringValue = fc.string({ unit: fc.constantFrom('a', ' ', '"', '\\', '\n', '\r', '\t', '\0', '$', '{', '}', '#', 'é', '😀'), maxLength: 8 });

function rawOf(value: string): string {
  return quoteModusString(value).slice(1, -1);
}

const plainString: fc.Arbitrary<Term> = stringValue.map((value) => ({ kind: 'string', raw: rawOf(value), value, span: NO_SPAN }));

const interpolation: fc.Arbitrary<FStringPart> = fc
  .oneof(variableName.map((name) => ({ kind: 'var' as const, name, span: NO_SPAN })), fc.constant({ kind: 'anon' as const, span: NO_SPAN }))
  .map((variable) => ({ kind: 'interp', variable, span: NO_SPAN }));

/** F-string parts as the parser splits them: text parts are non-empty and never adjacent. */
const formatString: fc.Arbitrary<Term> = fc
  .array(fc.oneof(stringValue.filter((v) => v.length > 0), interpolation), { maxLength: 5 })
  .map((pieces) => {
    const parts: FStringPart[] = [];
    for (const piece of pieces) {
      const last = parts[parts.length - 1];
      if (typeof piece === 'string') {
        const raw = rawOf(piece).replace(/\$/g, '\\$');
        if (last?.kind === 'text') parts[parts.length - 1] = { ...last, raw: last.raw + raw, value: last.value + piece };
        else parts.push({ kind: 'text', raw, value: piece, span: NO_SPAN });
      } else {
        parts.push(piece);
      }
    }
    return { kind: 'fstring', parts, span: NO_SPAN };
  });

const { term } = fc.letrec<{ term: Term }>((untypedTie) => ({
  term: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    plainString,
    variableName.map((name): Term => ({ kind: 'var', name, span: NO_SPAN })),
    fc.constant<Term>({ kind: 'anon', span: NO_SPAN }),
    formatString,
    fc.array(untypedTie('term') as fc.Arbitrary<Term>, { maxLength: 3 }).map((items): Term => ({ kind: 'list', items, span: NO_SPAN })),
  ),
}));

export const termArbitrary = term;

const literal: fc.Arbitrary<Literal> = fc
  .record({ negated: fc.boolean(), name: identifier, args: fc.array(term, { maxLength: 3 }) })
  .map(({ negated, name, args }) => ({ kind: 'literal', negated, name, nameSpan: NO_SPAN, args, span: NO_SPAN }));

interface Shapes {
  expression: Expression;
  conjunction: Expression;
  item: Expression;
  operand: Expression;
}

/** The grammar's levels: or-chains of and-chains of items; `::` only on literals and groups. */
const shapes = fc.letrec<Shapes>((untypedTie) => {
  const tie = (name: keyof Shapes): fc.Arbitrary<Expression> => untypedTie(name) as fc.Arbitrary<Expression>;
  return {
  expression: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    tie('conjunction'),
    fc.tuple(tie('expression'), tie('conjunction')).map(([left, right]): Expression => ({ kind: 'or', left, right, span: NO_SPAN })),
  ),
  conjunction: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    tie('item'),
    fc.tuple(tie('conjunction'), tie('item')).map(([left, right]): Expression => ({ kind: 'and', left, right, span: NO_SPAN })),
  ),
  item: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    tie('operand'),
    fc.record({ negated: fc.boolean(), left: term, right: term }).map((u): Expression => ({ kind: 'unify', ...u, span: NO_SPAN })),
    fc
      .tuple(tie('operand'), fc.array(fc.tuple(identifier, fc.array(term, { maxLength: 2 })), { minLength: 1, maxLength: 3 }))
      .map(([operand, operators]) =>
        operators.reduce<Expression>(
          (inner, [name, args]) => ({ kind: 'op', operand: inner, name, nameSpan: NO_SPAN, args, span: NO_SPAN }),
          operand,
        ),
      ),
  ),
  operand: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    literal,
    fc.tuple(fc.boolean(), tie('expression')).map(([negated, body]): Expression => ({ kind: 'group', negated, body, span: NO_SPAN })),
  ),
  };
});

export const expressionArbitrary = shapes.expression;

const clause: fc.Arbitrary<Clause> = fc
  .tuple(literal, fc.option(shapes.expression, { nil: undefined }))
  .map(([head, body]) => (body ? { kind: 'clause', head, body, span: NO_SPAN } : { kind: 'clause', head, span: NO_SPAN }));

export const modusfileArbitrary: fc.Arbitrary<Modusfile> = fc.array(clause, { maxLength: 4 }).map((clauses) => ({ clauses, comments: [] }));
