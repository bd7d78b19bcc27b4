import { imageLiteralIndexes, validateBuildGoal } from '../../../frontend/checks/goal';
import { analyseKinds } from '../../../frontend/checks/kinds';
import { translateGoal, translateProgram } from '../../../frontend/translate/translate';
import { SourceFile } from '../../../grammar/source';
import { goal, program, spanText } from './parse-helper';

const ast = program(
  'app(v) :- base(v), run("make").',
  'base(v) :- from(f"alpine:${v}").',
  'tools :- run("apk add git").',
  'version("3.15").',
  'version("3.16").',
  'is_windows(X, Y) :- X = "win", Y = "x".',
);
const { kinds } = analyseKinds(ast);
const messages = (text: string) => validateBuildGoal(goal(text), kinds).map((d) => d.message);

describe('build goal validation', () => {
  test('accepts one image literal with logic literals, unifications, f-strings and negation', () => {
    expect(messages('app("3.15")')).toEqual([]);
    expect(messages('version(v), app(v)')).toEqual([]);
    expect(messages('X = "1", app(X)')).toEqual([]);
    expect(messages('number_gt(v, "3.14"), version(v), base(f"${v}")')).toEqual([]);
    expect(messages('!is_windows(X, _), app(X)')).toEqual([]);
  });

  test('operators are rejected', () => {
    const text = 'app("1")::set_env("a", "b")';
    const diagnostics = validateBuildGoal(goal(text), kinds);
    expect(diagnostics.map((d) => d.message)).toContain('Operators in queries are currently unsupported.');
    const op = diagnostics.find((d) => d.message.startsWith('Operators'))!;
    expect(spanText(text, op.span)).toBe(text);
  });

  test('exactly one image literal: none or two are errors', () => {
    expect(messages('version(v)')).toEqual(['There must be exactly one image predicate in the query, but 0 were found.']);
    const text = 'app("1"), base("2")';
    const [d] = validateBuildGoal(goal(text), kinds);
    expect(d!.message).toBe('There must be exactly one image predicate in the query, but 2 were found.');
    expect(d!.labels!.map((l) => spanText(text, l.span))).toEqual(['app("1")', 'base("2")']);
  });

  test('layer literals are rejected with their count', () => {
    expect(messages('app("1"), tools')).toEqual(['Layer predicates in queries are currently unsupported, but we found 1']);
    expect(messages('app("1"), tools, run("x")')).toEqual([
      'Layer predicates in queries are currently unsupported, but we found 2',
    ]);
  });

  test('a disjunctive goal needs one image literal in every alternative', () => {
    expect(messages('app("1") ; app("2")')).toEqual([]);
    expect(messages('(app("1") ; version(v)), X = "1"')).toEqual([
      'There must be exactly one image predicate in the query, but 0 were found.',
    ]);
  });

  test('lists and negated images in a goal are rejected', () => {
    expect(messages('app(["a", "b"])')).toEqual(['A list was found here. This is not supported currently.']);
    expect(messages('app("1"), !base("1")')).toEqual(['Negating a non-logical predicate is disallowed.']);
  });

  test('diagnostics carry the goal file when given', () => {
    const file = new SourceFile('goal', 'version(v)');
    expect(validateBuildGoal(goal('version(v)'), kinds, file)[0]!.file).toBe(file);
  });
});

describe('image literal of a translated goal', () => {
  test('is the user-written Image literal, not the helpers around it', () => {
    const translated = translateGoal(goal('version(v), !is_windows(v, _), base(f"${v}")'), translateProgram(ast));
    expect(translated.goals).toHaveLength(1);
    const indexes = imageLiteralIndexes(translated.goals[0]!, translated.origins[0]!, kinds);
    expect(indexes).toHaveLength(1);
    expect(translated.goals[0]![indexes[0]!]!.predicate).toBe('base');
  });

  test('one per alternative of a disjunctive goal', () => {
    const translated = translateGoal(goal('app("1") ; X = "2", app(X)'), translateProgram(ast));
    expect(translated.goals.map((g, i) => imageLiteralIndexes(g, translated.origins[i]!, kinds))).toEqual([[0], [1]]);
  });
});
