import type { Clause, Expression, FStringTerm, Literal, OperatorApplication, StringTerm, Term } from '../../../grammar/ast';
import { goalOk, parseErrors, parseOk, stripSpans } from './helpers';
import { parseGoal, parseModusfile } from '../../../grammar';
import { SourceFile } from '../../../grammar/source';

const lit = (name: string, args: Term[] = [], negated = false): Literal =>
  ({ kind: 'literal', negated, name, args }) as unknown as Literal;
const v = (name: string): Term => ({ kind: 'var', name }) as unknown as Term;
const anon = { kind: 'anon' } as unknown as Term;
const and = (left: Expression, right: Expression): Expression => ({ kind: 'and', left, right }) as unknown as Expression;
const or = (left: Expression, right: Expression): Expression => ({ kind: 'or', left, right }) as unknown as Expression;
const group = (body: Expression, negated = false): Expression => ({ kind: 'group', negated, body }) as unknown as Expression;
const op = (operand: Expression, name: string, args: Term[] = []): Expression =>
  ({ kind: 'op', operand, name, args }) as unknown as Expression;

function onlyClause(text: string): Clause {
  const ast = parseOk(text);
  expect(ast.clauses).toHaveLength(1);
  return ast.clauses[0]!;
}

function body(text: string): Expression {
  return stripSpans(onlyClause(text).body!);
}

function firstArg(text: string): Term {
  const clause = onlyClause(text);
  return clause.head.args[0]!;
}

describe('clauses', () => {
  test('a fact', () => {
    expect(stripSpans(onlyClause('l1.'))).toEqual({ kind: 'clause', head: lit('l1') });
    expect(stripSpans(onlyClause('arch(v, "amd64").').head)).toEqual(
      lit('arch', [v('v'), { kind: 'string', raw: 'amd64', value: 'amd64' } as unknown as Term]),
    );
  });

  test('a rule, with newlines and tabs around the separators', () => {
    const expected = and(lit('l2'), lit('l3'));
    expect(body('l1 :- l2, l3.')).toEqual(expected);
    expect(body('l1 :-\n\tl2,\n\tl3\n.')).toEqual(expected);
    expect(body('l1:-l2,l3.')).toEqual(expected);
  });

  test('or, and precedence and left associativity', () => {
    expect(body('foo :- l1; l2.')).toEqual(or(lit('l1'), lit('l2')));
    expect(body('x :- a, b; c, d.')).toEqual(or(and(lit('a'), lit('b')), and(lit('c'), lit('d'))));
    expect(body('x :- a, b, c.')).toEqual(and(and(lit('a'), lit('b')), lit('c')));
    expect(body('x :- a; b; c.')).toEqual(or(or(lit('a'), lit('b')), lit('c')));
    expect(body('x :- a, (b; c).')).toEqual(and(lit('a'), group(or(lit('b'), lit('c')))));
  });

  test('several clauses and the spans of clauses and heads', () => {
    const text = 'a.\nb :- c.';
    const ast = parseOk(text);
    expect(ast.clauses.map((c) => text.slice(c.span.start, c.span.end))).toEqual(['a.', 'b :- c.']);
    expect(ast.clauses[1]!.head.nameSpan).toEqual({ start: 3, end: 4 });
  });

  test('a negated head is parsed (checks decide what it means)', () => {
    expect(onlyClause('!a :- b.').head.negated).toBe(true);
  });
});

describe('operators', () => {
  test('a group, a literal and a parenthesised literal', () => {
    expect(body('foo :- (a, b)::merge.')).toEqual(op(group(and(lit('a'), lit('b'))), 'merge'));
    expect(body('foo :- a::merge.')).toEqual(op(lit('a'), 'merge'));
    expect(body('foo :- ( a )::merge.')).toEqual(op(group(lit('a')), 'merge'));
  });

  test('operators with arguments, without spaces', () => {
    expect(body('x :- (foo(x),bar)::setenv("a","foobar"), (baz)::setenv("a","baz").')).toEqual(
      and(
        op(group(and(lit('foo', [v('x')]), lit('bar'))), 'setenv', [
          { kind: 'string', raw: 'a', value: 'a' } as unknown as Term,
          { kind: 'string', raw: 'foobar', value: 'foobar' } as unknown as Term,
        ]),
        op(group(lit('baz')), 'setenv', [
          { kind: 'string', raw: 'a', value: 'a' } as unknown as Term,
          { kind: 'string', raw: 'baz', value: 'baz' } as unknown as Term,
        ]),
      ),
    );
  });

  test('chains apply left to right, with spaces and newlines around `::`', () => {
    const expected = op(op(lit('foo'), 'set_env'), 'in_env');
    expect(body('x :- foo::set_env::in_env.')).toEqual(expected);
    expect(body('x :- foo :: set_env :: in_env.')).toEqual(expected);
    expect(body('x :- foo\n  ::set_env\n  ::in_env.')).toEqual(expected);
    expect(body('x :- foo::\nset_env::\n in_env.')).toEqual(expected);
  });

  test('an operator applies only to the literal right before it', () => {
    expect(body('x :- a, b::op.')).toEqual(and(lit('a'), op(lit('b'), 'op')));
    expect(body('x :- !a::op.')).toEqual(op(lit('a', [], true), 'op'));
  });

  test('the spans of an application and of its name', () => {
    const text = 'x :- (a)::copy("/a", "/b")::merge.';
    const application = onlyClause(text).body as OperatorApplication;
    expect(text.slice(application.span.start, application.span.end)).toBe('(a)::copy("/a", "/b")::merge');
    const inner = application.operand as OperatorApplication;
    expect(text.slice(inner.span.start, inner.span.end)).toBe('(a)::copy("/a", "/b")');
    expect(text.slice(inner.nameSpan.start, inner.nameSpan.end)).toBe('copy');
  });

  test('an operator cannot follow a unification', () => {
    expect(parseErrors('x :- A = B::op.')).toHaveLength(1);
  });
});

describe('negation and unification', () => {
  test('!((a, b); (c, d))', () => {
    expect(body('x :- !((a, b); (c, d)).')).toEqual(group(or(group(and(lit('a'), lit('b'))), group(and(lit('c'), lit('d')))), true));
  });

  test('repeated `!` toggles by parity, and spans cover the `!`s', () => {
    expect(body('x :- !!!l1.')).toEqual(lit('l1', [], true));
    expect(body('x :- !!l1.')).toEqual(lit('l1'));
    expect(body('x :- ! ! (a).')).toEqual(group(lit('a')));
    const text = 'x :- !!!l1("a").';
    const negated = onlyClause(text).body as Literal;
    expect(text.slice(negated.span.start, negated.span.end)).toBe('!!!l1("a")');
    expect(text.slice(negated.nameSpan.start, negated.nameSpan.end)).toBe('l1');
  });

  test('`=` and `!=`', () => {
    expect(body('x :- X = Y, A != B.')).toEqual(
      and({ kind: 'unify', negated: false, left: v('X'), right: v('Y') } as unknown as Expression, {
        kind: 'unify',
        negated: true,
        left: v('A'),
        right: v('B'),
      } as unknown as Expression),
    );
    const text = 'x :- "a" = f"${B}".';
    const unify = onlyClause(text).body!;
    expect(text.slice(unify.span.start, unify.span.end)).toBe('"a" = f"${B}"');
  });

  test('a unification with lists and anonymous variables', () => {
    expect(body('x :- [A, _] = [].')).toEqual({
      kind: 'unify',
      negated: false,
      left: { kind: 'list', items: [v('A'), anon] },
      right: { kind: 'list', items: [] },
    });
  });
});

describe('terms', () => {
  test('anonymous variables and `_name` variables', () => {
    expect(stripSpans(onlyClause('a(_, __, _x, _x_).').head.args)).toEqual([anon, anon, v('_x'), v('_x_')]);
    expect(stripSpans(onlyClause('foo :- bar("bar", _).').body)).toEqual(lit('bar', [{ kind: 'string', raw: 'bar', value: 'bar' } as unknown as Term, anon]));
  });

  test('lists, empty and not', () => {
    expect(stripSpans(firstArg('a([]).'))).toEqual({ kind: 'list', items: [] });
    expect(stripSpans(firstArg('a([ "javac", javacParam ]).'))).toEqual({
      kind: 'list',
      items: [{ kind: 'string', raw: 'javac', value: 'javac' }, v('javacParam')],
    });
    expect(stripSpans(firstArg('a([[X], []]).'))).toEqual({
      kind: 'list',
      items: [{ kind: 'list', items: [v('X')] }, { kind: 'list', items: [] }],
    });
  });
});

describe('strings', () => {
  const str = (text: string): StringTerm => firstArg(`a(${text}).`) as StringTerm;

  test('every escape: raw kept, value decoded', () => {
    const s = str('"q\\" b\\\\ n\\n r\\r t\\t z\\0"');
    expect(s.raw).toBe('q\\" b\\\\ n\\n r\\r t\\t z\\0');
    expect(s.value).toBe('q" b\\ n\n r\r t\t z\0');
  });

  test('a continuation removes the backslash, the newline and all following whitespace', () => {
    const s = str('"a \\\n      b"');
    expect(s.raw).toBe('a \\\n      b');
    expect(s.value).toBe('a b');
    expect(str('"a\\\n\n\t  \n  b"').value).toBe('ab');
    expect(str('"a\\\r\n   b"').value).toBe('ab');
  });

  test('raw newlines stay, CRLF reads as LF', () => {
    expect(str('"line1\nline2"').value).toBe('line1\nline2');
    expect(str('"line1\r\nline2"').value).toBe('line1\nline2');
  });

  test('`$` is plain text in a plain string', () => {
    expect(str('"echo $A ${B}"').value).toBe('echo $A ${B}');
  });

  test('unknown escapes are errors at the escape', () => {
    const text = 'a("x\\d").';
    const errors = parseErrors(text);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toBe('unknown escape `\\d` in string');
    expect(text.slice(errors[0]!.span!.start, errors[0]!.span!.end)).toBe('\\d');
    expect(parseErrors('a("\\$").')[0]!.message).toBe('unknown escape `\\$` in string');
  });

  test('an unterminated string is reported at its start', () => {
    const text = 'a.\nb :- run("oops).\nc.';
    const errors = parseErrors(text);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toMatch(/unterminated string/);
    expect(errors[0]!.span!.start).toBe(text.indexOf('"'));
  });
});

describe('format strings', () => {
  const fstr = (text: string): FStringTerm => firstArg(`a(${text}).`) as FStringTerm;

  test('text and interpolation parts with their spans', () => {
    const text = 'a(f"foo ${ X }").';
    const term = firstArg(text) as FStringTerm;
    expect(term.parts).toEqual([
      { kind: 'text', raw: 'foo ', value: 'foo ', span: { start: 4, end: 8 } },
      { kind: 'interp', variable: { kind: 'var', name: 'X', span: { start: 11, end: 12 } }, span: { start: 8, end: 14 } },
    ]);
    expect(text.slice(term.span.start, term.span.end)).toBe('f"foo ${ X }"');
  });

  test('starting with a variable, `${_}`, and the empty f-string', () => {
    expect(stripSpans(fstr('f"${X}bar"').parts)).toEqual([
      { kind: 'interp', variable: { kind: 'var', name: 'X' } },
      { kind: 'text', raw: 'bar', value: 'bar' },
    ]);
    expect(stripSpans(fstr('f"${_}"').parts)).toEqual([{ kind: 'interp', variable: { kind: 'anon' } }]);
    expect(stripSpans(fstr('f"${_x}"').parts)).toEqual([{ kind: 'interp', variable: { kind: 'var', name: '_x' } }]);
    expect(fstr('f""').parts).toEqual([]);
  });

  test('a lone `$` is text; `\\$` is a dollar', () => {
    expect(stripSpans(fstr('f"{ echo \'#/bin/sh\'; } costs $5 $"').parts)).toEqual([
      { kind: 'text', raw: "{ echo '#/bin/sh'; } costs $5 $", value: "{ echo '#/bin/sh'; } costs $5 $" },
    ]);
    expect(stripSpans(fstr('f"\\$(cmd)"').parts)).toEqual([{ kind: 'text', raw: '\\$(cmd)', value: '$(cmd)' }]);
  });

  test('`\\${var}` is text, not an interpolation', () => {
    expect(stripSpans(fstr('f"a \\${var} ${B}"').parts)).toEqual([
      { kind: 'text', raw: 'a \\${var} ', value: 'a ${var} ' },
      { kind: 'interp', variable: { kind: 'var', name: 'B' } },
    ]);
  });

  test('escapes and continuations in text parts', () => {
    expect(stripSpans(fstr('f"\\"q\\" \\\n    ${A}\\n"').parts)).toEqual([
      { kind: 'text', raw: '\\"q\\" \\\n    ', value: '"q" ' },
      { kind: 'interp', variable: { kind: 'var', name: 'A' } },
      { kind: 'text', raw: '\\n', value: '\n' },
    ]);
  });

  test('`${X X2}`, `${}` and an unclosed `${` are errors', () => {
    const twoVariables = parseErrors('a(f"${X X2}").');
    expect(twoVariables).toHaveLength(1);
    expect(twoVariables[0]!.message).toBe('expected `}` after the variable `X` in `${ }`');
    expect(twoVariables[0]!.span!.start).toBe('a(f"${X '.length);
    expect(parseErrors('a(f"${}").')[0]!.message).toBe('expected a variable name in `${ }` but found `}`');
    expect(parseErrors('a(f"${"x"}").').length).toBeGreaterThan(0);
    expect(parseErrors('a(f"${X").')[0]!.message).toMatch(/unclosed `\$\{`/);
  });

  test('unknown escapes in an f-string are errors', () => {
    expect(parseErrors('a(f"\\d").')[0]!.message).toBe('unknown escape `\\d` in format string');
  });

  test('whitespace between f and the quote makes two tokens (a syntax error)', () => {
    expect(parseErrors('a(f "x").')).toHaveLength(1);
  });
});

describe('syntax errors', () => {
  test('an error in a rule body, with labels for the rule and its body', () => {
    const text = 'foo(X) :- bar(X), baz(X), .';
    const errors = parseErrors(text);
    expect(errors).toHaveLength(1);
    const [error] = errors;
    expect(error!.severity).toBe('error');
    expect(error!.message).toBe('expected an expression but found `.`');
    expect(error!.span).toEqual({ start: text.length - 1, end: text.length });
    const labels = error!.labels!.map((l) => l.message).join(' | ');
    expect(labels).toMatch(/rule/);
    expect(labels).toMatch(/body/);
  });

  test('errors say what was expected and what was found', () => {
    expect(parseErrors('a :- from("alpine"), run("x".')[0]!.message).toBe('expected `,` or `)` but found `.`');
    expect(parseErrors('a :- b c.')[0]!.message).toBe('expected `(`, `::`, `=`, `!=`, `,`, `;` or `.` but found `c`');
    expect(parseErrors('a(X) b.')[0]!.message).toBe('expected `:-` or `.` but found `b`');
    expect(parseErrors('a :- b')[0]!.message).toMatch(/but found end of input$/);
    expect(parseErrors('"x" :- b.')[0]!.message).toBe('expected a predicate name but found a string');
    expect(parseErrors('a(,).')[0]!.message).toBe('expected a term but found `,`');
  });

  test('empty parentheses are an error with a hint', () => {
    for (const text of ['foo().', 'x :- foo().', 'x :- a::merge().']) {
      const errors = parseErrors(text);
      expect(errors).toHaveLength(1);
      expect(errors[0]!.message).toBe('expected a term but found `)`');
      expect(errors[0]!.notes?.[0]).toMatch(/empty argument list/);
    }
  });

  test('recovery at the next `.`: every bad clause is reported, good ones kept', () => {
    const text = 'a :- b,.\nok1.\nc :- (d.\nok2 :- e.\nf :- g h.\n';
    const file = new SourceFile('Modusfile', text);
    const { ast, diagnostics } = parseModusfile(file);
    expect(diagnostics.map((d) => file.position(d.span!.start).line)).toEqual([1, 3, 5]);
    expect(ast.clauses.map((c) => c.head.name)).toEqual(['ok1', 'ok2']);
  });
});

describe('goals', () => {
  test('a goal is a body expression', () => {
    expect(stripSpans(goalOk('app("prod", X)'))).toEqual(lit('app', [{ kind: 'string', raw: 'prod', value: 'prod' } as unknown as Term, v('X')]));
    expect(stripSpans(goalOk('a; b, !c'))).toEqual(or(lit('a'), and(lit('b'), lit('c', [], true))));
    expect(stripSpans(goalOk(' X = f"${Y}", a(X) '))).toMatchObject({ kind: 'and' });
  });

  test('any trailing input, even a `.`, is an error', () => {
    for (const text of ['a, b.', 'a b', 'a)', 'a :- b']) {
      const { goal, diagnostics } = parseGoal(new SourceFile('goal', text));
      expect(goal).toBeUndefined();
      expect(diagnostics).toHaveLength(1);
      expect(diagnostics[0]!.message).toMatch(/or end of input but found/);
    }
  });

  test('an empty goal is an error', () => {
    const { goal, diagnostics } = parseGoal(new SourceFile('goal', '  '));
    expect(goal).toBeUndefined();
    expect(diagnostics[0]!.message).toBe('expected an expression but found end of input');
  });

  test('string errors in a goal', () => {
    expect(parseGoal(new SourceFile('goal', 'a("\\q")')).goal).toBeUndefined();
  });
});
