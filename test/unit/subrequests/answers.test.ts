import { parseGoal, parseModusfile } from '../../../grammar/index';
import { SourceFile } from '../../../grammar/source';
import { literalOccurrences } from '../../../frontend/checks/ast-util';
import { describeAnswer, lintAnswer, outlineAnswer, targetsAnswer, type ModusfileView } from '../../../frontend/subrequests/answers';
import { tabulate } from '../../../frontend/subrequests/tabwriter';

function view(text: string): ModusfileView {
  const file = new SourceFile('Modusfile', text);
  const parsed = parseModusfile(file);
  return { filename: 'Modusfile', bytes: Buffer.from(text), file, ast: parsed.ast, syntaxErrors: parsed.diagnostics.filter((d) => d.severity === 'error') };
}

const goal = (text: string) => literalOccurrences(parseGoal(new SourceFile('goal', text)).goal!).map((o) => o.literal);

const MODUSFILE = [
  '# syntax=modus-frontend:dev',
  '',
  '# The application image.',
  '# Built for a mode.',
  'app(mode) :-',
  '  base,',
  '  # Who is greeted',
  '  build_arg("WHO", Who),',
  '  run(f"echo ${Who} ${mode}").',
  'app("x") :- base.',
  '',
  'base :- from("alpine"), build_arg("BASE_TAG", _T).',
  'helper(X) :- X = "1".',
  'other :- from("alpine"), build_arg("UNUSED", _U).',
].join('\n');

describe('tabulate (Go tabwriter layout)', () => {
  test('pads every cell but the last to the widest in its column plus the padding', () => {
    expect(tabulate([['TARGET', 'DESCRIPTION'], ['app(mode)', 'The app'], ['b', '']], 1)).toBe('TARGET    DESCRIPTION\napp(mode) The app\nb         \n');
  });
});

describe('targets', () => {
  test('one per image predicate, named as its first clause, described by the comment block above it', () => {
    const answer = targetsAnswer(view(MODUSFILE));
    const json = JSON.parse(answer['result.json']!);
    expect(json.targets).toEqual([
      { name: 'app(mode)', description: 'The application image. Built for a mode.', location: { ranges: [{ start: { line: 5 }, end: { line: 5, character: 9 } }] } },
      { name: 'base', location: { ranges: [{ start: { line: 12 }, end: { line: 12, character: 4 } }] } },
      { name: 'other', location: { ranges: [{ start: { line: 14 }, end: { line: 14, character: 5 } }] } },
    ]);
    expect(json.sources).toEqual([Buffer.from(MODUSFILE).toString('base64')]);
    expect(answer['result.txt']).toBe('TARGET    DESCRIPTION\napp(mode) The application image. Built for a mode.\nbase      \nother     \n');
    expect(answer.version).toBe('1.0.0');
  });
});

describe('outline', () => {
  test('the build args the goal may read, with the comment above and the value given', () => {
    const answer = outlineAnswer(view(MODUSFILE), goal('app("prod")'), { WHO: 'you' });
    const json = JSON.parse(answer['result.json']!);
    expect(json.name).toBe('app(mode)');
    expect(json.description).toBe('The application image. Built for a mode.');
    expect(json.args.map((a: any) => [a.name, a.value, a.description])).toEqual([
      ['WHO', 'you', 'Who is greeted'],
      ['BASE_TAG', undefined, undefined],
    ]);
    expect(answer['result.txt']).toBe(
      'TARGET:      app(mode)\nDESCRIPTION: The application image. Built for a mode.\n\n' +
        'BUILD ARG   VALUE   DESCRIPTION\nWHO         you     Who is greeted\nBASE_TAG            \n\n',
    );
  });

  test('without a goal: every build arg of the file', () => {
    const json = JSON.parse(outlineAnswer(view(MODUSFILE), undefined, {})['result.json']!);
    expect(json.name).toBeUndefined();
    expect(json.args.map((a: any) => a.name)).toEqual(['WHO', 'BASE_TAG', 'UNUSED']);
  });
});

describe('lint', () => {
  test('every finding as a warning with rule, description, page and range; status 1', () => {
    const answer = lintAnswer(view('a(X) :- from("x"), run("a", "b").'));
    const json = JSON.parse(answer['result.json']!);
    expect(json.warnings).toEqual([
      {
        ruleName: 'SingletonVariable',
        description: 'A named variable occurs only once in its clause.',
        url: 'docs/lint.md#singletonvariable',
        detail: 'Variable `X` occurs only once in this clause; name it `_X` (or `_`) if that is meant.',
        location: { ranges: [{ start: { line: 1, character: 2 }, end: { line: 1, character: 3 } }] },
      },
      expect.objectContaining({ ruleName: 'WrongArity', detail: 'Builtin `run` takes 1 argument, but 2 were given.' }),
    ]);
    expect(json.sources[0].filename).toBe('Modusfile');
    expect(answer['result.statuscode']).toBe('1');
    expect(answer['result.txt']).toContain('WARNING: SingletonVariable - docs/lint.md#singletonvariable');
  });

  test('a clean file: no warnings, status 0', () => {
    const answer = lintAnswer(view('a :- from("x").'));
    expect(JSON.parse(answer['result.json']!).warnings).toEqual([]);
    expect(answer['result.statuscode']).toBe('0');
  });

  test('a syntax error is the build error, positioned', () => {
    const json = JSON.parse(lintAnswer(view('a :- from("x")\nb.'))['result.json']!);
    expect(json.buildError.message).toBeTruthy();
    expect(json.buildError.location.ranges[0].start.line).toBe(2);
  });
});

describe('describe', () => {
  test('lists the four requests as buildx renders them', () => {
    const answer = describeAnswer();
    expect(JSON.parse(answer['result.json']!).map((r: any) => r.name)).toEqual([
      'frontend.outline',
      'frontend.targets',
      'frontend.lint',
      'frontend.subrequests.describe',
    ]);
    expect(answer['result.txt']!.split('\n')[0]).toBe('NAME                 VERSION DESCRIPTION');
  });
});
