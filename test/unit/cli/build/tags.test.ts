import { expandTag, planTags, referenceProblem } from '../../../../frontend/cli/build/tags';

const app = (v: string, t: string) => ({ literal: `app("${v}", "${t}")`, predicate: 'app', args: [v, t] });

describe('expandTag', () => {
  test('placeholders {predicate}, {args}, {0}, {1}', () => {
    expect(expandTag('repo/{predicate}:{0}-{1}', app('1.2', 'dev'))).toEqual({ ref: 'repo/app:1.2-dev' });
    expect(expandTag('{predicate}:{args}', app('1.2', 'dev'))).toEqual({ ref: 'app:1.2-dev' });
    expect(expandTag('localhost:5000/x/{predicate}', app('1', 'a'))).toEqual({ ref: 'localhost:5000/x/app' });
  });

  test('values are made fit for the name part and for the tag part', () => {
    const img = { literal: 'f("Alpine:3.15")', predicate: 'f', args: ['Alpine:3.15'] };
    expect(expandTag('m/{0}:{0}', img)).toEqual({ ref: 'm/alpine-3.15:Alpine-3.15' });
    const list = { literal: 'c(["a", "b c"])', predicate: 'c', args: [['a', 'b c']] };
    expect(expandTag('c:{0}', list)).toEqual({ ref: 'c:a-b-c' });
  });

  test('unknown placeholders are errors', () => {
    expect(expandTag('app:{2}', app('1', 'a'))).toEqual({ error: expect.stringContaining('unknown placeholder {2}') });
    expect(expandTag('app:{version}', app('1', 'a'))).toEqual({ error: expect.stringContaining('{version}') });
  });
});

describe('planTags', () => {
  test('one list of tags per image, in order; repeated templates', () => {
    expect(planTags(['app:{0}', 'app:{0}-{1}'], [app('1', 'a'), app('2', 'a')])).toEqual({
      tags: [
        ['app:1', 'app:1-a'],
        ['app:2', 'app:2-a'],
      ],
    });
    expect(planTags([], [app('1', 'a')])).toEqual({ tags: [[]] });
  });

  test('two images with the same tag is an error before anything is built', () => {
    const plan = planTags(['app:{1}'], [app('1', 'a'), app('2', 'a')]);
    expect(plan).toEqual({ error: expect.stringContaining('same tag `app:a` to app("1", "a") and app("2", "a")') });
  });

  test('an invalid reference is an error', () => {
    expect(planTags(['App_:{0}'], [app('1', 'a')])).toEqual({ error: expect.stringContaining('not a valid image reference') });
    expect(planTags(['app:-{0}'], [app('1', 'a')])).toEqual({ error: expect.stringContaining('not a valid image reference') });
  });
});

test.each([
  ['app', undefined],
  ['app:1.0', undefined],
  ['registry.example:5000/team/app:v1_2', undefined],
  ['', 'empty'],
  ['App', expect.any(String)],
  ['app:', expect.any(String)],
  ['app@sha256:00', 'a tag cannot hold a digest'],
  ['app:' + 'x'.repeat(129), expect.any(String)],
])('referenceProblem(%j)', (ref, problem) => {
  expect(referenceProblem(ref)).toEqual(problem);
});
