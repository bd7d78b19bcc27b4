import { planBuild, printPlan, LITERAL_LABEL, type BuildPlan, type PlanNode } from '../../../frontend/planner';
import { copy, fact, from, logic, negation, op, rule, run, solution, span } from './proofs';

const LABEL = `"${LITERAL_LABEL}"`;

function plan(...solutions: Parameters<typeof planBuild>[0]) {
  const result = planBuild(solutions);
  expect(result.diagnostics).toEqual([]);
  return result.plan;
}

function listing(...solutions: Parameters<typeof planBuild>[0]): string {
  return printPlan(plan(...solutions));
}

function errors(...solutions: Parameters<typeof planBuild>[0]): string[] {
  return planBuild(solutions).diagnostics.map((d) => d.message);
}

function lines(...text: string[]): string {
  return text.join('\n') + '\n';
}

function nodesOfKind<K extends PlanNode['kind']>(p: BuildPlan, kind: K): Extract<PlanNode, { kind: K }>[] {
  return p.nodes.filter((n): n is Extract<PlanNode, { kind: K }> => n.kind === kind);
}

describe('simple images', () => {
  test('from + run through a sub-image literal', () => {
    const a = () => rule('a', [], [from('alpine')]);
    expect(listing(solution(rule('b', [], [a(), run('echo aaa > /tmp/a')])))).toBe(
      lines(
        '%0 = from "alpine"',
        `%1 = set_label %0 ${LABEL} = "a"`,
        '%2 = run %1 "echo aaa > /tmp/a"',
        `%3 = set_label %2 ${LABEL} = "b"`,
        'outputs:',
        '  b = %3',
      ),
    );
    expect(listing(solution(a()))).toBe(lines('%0 = from "alpine"', `%1 = set_label %0 ${LABEL} = "a"`, 'outputs:', '  a = %1'));
  });

  test('the output records predicate and arguments, lists as string arrays', () => {
    const p = plan(solution(rule('app', ['x', ['sh', '-c']], [from('alpine')])));
    expect(p.outputs).toEqual([{ node: 1, literal: 'app("x", ["sh", "-c"])', predicate: 'app', args: ['x', ['sh', '-c']] }]);
  });

  test('logic literals and facts before the base produce nothing', () => {
    const a = (x: string) => rule('a', [x], [fact('aa', x), from('alpine'), run('sleep 1'), run(`echo ${x}`)]);
    const p = plan(solution(a('1')), solution(a('2')));
    expect(printPlan(p)).toBe(
      lines(
        '%0 = from "alpine"',
        '%1 = run %0 "sleep 1"',
        '%2 = run %1 "echo 1"',
        `%3 = set_label %2 ${LABEL} = "a(\\"1\\")"`,
        '%4 = run %1 "echo 2"',
        `%5 = set_label %4 ${LABEL} = "a(\\"2\\")"`,
        'outputs:',
        '  a("1") = %3',
        '  a("2") = %5',
      ),
    );
  });

  test('other goal literals around the image literal are ignored', () => {
    const image = rule('my_app', ['alpine'], [fact('base_image', 'alpine'), from('alpine')]);
    const p = plan(solution(image, [negation('_negate_0', 'alpine'), logic('string_eq', 'x', 'x')], [fact('ok')]));
    expect(p.outputs.map((o) => o.literal)).toEqual(['my_app("alpine")']);
    expect(p.nodes).toHaveLength(2);
  });

  test('an image literal that is a builtin still gets the literal label', () => {
    const p = plan(solution(from('alpine')));
    expect(printPlan(p)).toBe(lines('%0 = from "alpine"', `%1 = set_label %0 ${LABEL} = "from(\\"alpine\\")"`, 'outputs:', '  from("alpine") = %1'));
  });

  test('scratch is its own node kind, shared like any from', () => {
    const p = plan(solution(rule('a', [], [from('scratch')])), solution(rule('b', [], [from('scratch'), run('x')])));
    expect(printPlan(p)).toBe(
      lines(
        '%0 = scratch',
        `%1 = set_label %0 ${LABEL} = "a"`,
        '%2 = run %0 "x"',
        `%3 = set_label %2 ${LABEL} = "b"`,
        'outputs:',
        '  a = %1',
        '  b = %3',
      ),
    );
  });
});

describe('working directories and environment', () => {
  test('in_workdir paths accumulate, absolute resets', () => {
    const log = 'pwd >> /log';
    const a = rule('a', [], [
      ...op('set_workdir', ['/tmp'], [from('alpine')]),
      run(log),
      ...op('in_workdir', ['a'], [run(log)]),
      ...op('in_workdir', ['b'], [run(log), ...op('in_workdir', ['c'], [run(log)]), ...op('in_workdir', ['/'], [run(log)])]),
    ]);
    const p = plan(solution(a));
    expect(nodesOfKind(p, 'setWorkdir').map((n) => n.path)).toEqual(['/tmp']);
    expect(nodesOfKind(p, 'run').map((n) => n.cwd)).toEqual(['', 'a', 'b', 'b/c', '/']);
    // each run builds on the previous one
    const runs = nodesOfKind(p, 'run');
    for (let i = 1; i < runs.length; i++) expect(p.nodes[runs[i]!.parent]).toBe(runs[i - 1]);
  });

  test('in_workdir with a trailing slash joins cleanly; set_workdir keeps its raw value', () => {
    const a = rule('a', [], [
      ...op('set_workdir', ['tmp/new_dir'], [from('alpine')]),
      ...op('in_workdir', ['/opt/'], [...op('in_workdir', ['x'], [run('true')])]),
    ]);
    const p = plan(solution(a));
    expect(nodesOfKind(p, 'setWorkdir')[0]!.path).toBe('tmp/new_dir');
    expect(nodesOfKind(p, 'run')[0]!.cwd).toBe('/opt/x');
  });

  test('in_env: nested, later (inner) wins, no duplicate keys, nothing after the operand', () => {
    const a = rule('a', [], [
      from('alpine'),
      ...op('in_env', ['B', '2'], [...op('in_env', ['A', '1'], [run('one')])]),
      ...op('in_env', ['A', '1'], [...op('in_env', ['A', '2'], [run('two')])]),
      run('three'),
    ]);
    const runs = nodesOfKind(plan(solution(a)), 'run');
    expect(runs.map((r) => r.env)).toEqual([[['B', '2'], ['A', '1']], [['A', '2']], []]);
  });
});

describe('copies', () => {
  test('local copy: dst joined with in_workdir, absolute dst kept, src untouched', () => {
    const a = rule('a', [], [
      from('alpine'),
      copy('file', '/tmp/file'),
      ...op('in_workdir', ['/tmp'], [copy('dir', 'dir'), copy('file', '/abs')]),
      copy('./file', 'rel'),
    ]);
    const copies = nodesOfKind(plan(solution(a)), 'copyLocal');
    expect(copies.map((c) => [c.src, c.dst])).toEqual([
      ['file', '/tmp/file'],
      ['dir', '/tmp/dir'],
      ['file', '/abs'],
      ['./file', 'rel'],
    ]);
  });

  test('::copy: operand is its own image; src left relative; dst joined', () => {
    const a = () => rule('a', [], [...op('set_workdir', ['/tmp/'], [from('alpine')]), run('echo content > file')]);
    const b = rule('b', [], [
      ...op('set_workdir', ['/'], [from('alpine')]),
      ...op('in_workdir', ['/tmp'], [...op('copy', ['file', 'bbb'], [a()])]),
      ...op('copy', ['/tmp/file', 'copied'], [a()]),
    ]);
    expect(listing(solution(b))).toBe(
      lines(
        '%0 = from "alpine"',
        '%1 = set_workdir %0 "/"',
        '%2 = set_workdir %0 "/tmp/"',
        '%3 = run %2 "echo content > file"',
        `%4 = set_label %3 ${LABEL} = "a"`,
        '%5 = copy %1 %4:"file" -> "/tmp/bbb"',
        '%6 = copy %5 %4:"/tmp/file" -> "copied"',
        `%7 = set_label %6 ${LABEL} = "b"`,
        'outputs:',
        '  b = %7',
      ),
    );
  });

  test('an inline ::copy operand gets no label; the operand state does not leak', () => {
    const f = rule('f', [], [
      from('alpine'),
      ...op('in_workdir', ['/w'], [
        ...op('in_env', ['K', 'V'], [...op('copy', ['/tmp/eee', 'fff'], [from('busybox'), run('make eee')])]),
      ]),
    ]);
    expect(listing(solution(f))).toBe(
      lines(
        '%0 = from "alpine"',
        '%1 = from "busybox"',
        '%2 = run %1 "make eee"',
        '%3 = copy %0 %2:"/tmp/eee" -> "/w/fff"',
        `%4 = set_label %3 ${LABEL} = "f"`,
        'outputs:',
        '  f = %4',
      ),
    );
  });

  test('copy sources outside the build context are positioned errors', () => {
    const bad = (src: string) => solution(rule('a', [], [from('alpine'), copy(src, 'x', span(10, 20))]));
    const result = planBuild([bad('/etc/passwd')]);
    expect(result.diagnostics).toEqual([
      { severity: 'error', message: 'copy source must be a relative path inside the build context', span: span(10, 20) },
    ]);
    expect(errors(bad('../secret'))).toEqual(['copy source must be a relative path inside the build context']);
    expect(errors(bad('a/../../secret'))).toEqual(['copy source must be a relative path inside the build context']);
    expect(errors(bad('a/../b'))).toEqual([]);
    expect(errors(bad('.'))).toEqual([]);
  });

  test('::copy whose operand builds nothing, and copies before any image, are errors', () => {
    const noImage = rule('a', [], [from('alpine'), ...op('copy', ['/x', '/y'], [fact('logic_only')], span(5, 9))]);
    expect(planBuild([solution(noImage)]).diagnostics).toEqual([
      { severity: 'error', message: 'the operand of `::copy("/x", "/y")` does not build an image', span: span(5, 9) },
    ]);
    const layerFirst = rule('l', [], [run('true', span(1, 2))]);
    expect(errors(solution(layerFirst))).toEqual([
      '`run("true")` comes before any image: start with `from(...)` or an image predicate',
      '`l` does not build an image',
    ]);
  });
});

describe('image operators', () => {
  test('every set_* kind and append_path', () => {
    const bbox = () => rule('bbox', [], [...op('set_workdir', ['/bin'], [from('busybox')])]);
    const img = rule('img', [], [
      ...op('set_user', ['dev'], [
        ...op('set_label', ['k', 'v'], [
          ...op('set_cmd', [[]], [
            ...op('set_entrypoint', [['/bin/echo', 'hi']], [
              ...op('set_entrypoint', ['/bin/sh'], [
                ...op('append_path', ['/bin'], [...op('set_env', ['A', '1'], [from('scratch')]), ...op('copy', ['sh', 'sh'], [bbox()])]),
              ]),
            ]),
          ]),
        ]),
      ]),
    ]);
    expect(listing(solution(img))).toBe(
      lines(
        '%0 = scratch',
        '%1 = set_env %0 "A" = "1"',
        '%2 = from "busybox"',
        '%3 = set_workdir %2 "/bin"',
        `%4 = set_label %3 ${LABEL} = "bbox"`,
        '%5 = copy %1 %4:"sh" -> "sh"',
        '%6 = append_path %5 "/bin"',
        '%7 = set_entrypoint %6 ["/bin/sh"]',
        '%8 = set_entrypoint %7 ["/bin/echo", "hi"]',
        '%9 = set_cmd %8 []',
        '%10 = set_label %9 "k" = "v"',
        '%11 = set_user %10 "dev"',
        `%12 = set_label %11 ${LABEL} = "img"`,
        'outputs:',
        '  img = %12',
      ),
    );
  });

  test('set_* needs its operand to start the image and is refused inside a merge', () => {
    const late = rule('a', [], [from('alpine'), ...op('set_env', ['A', '1'], [rule('b', [], [from('busybox')])], span(3, 4))]);
    expect(errors(solution(late))).toEqual(['`::set_env` must be applied to an image expression that comes first']);
    const inMerge = rule('a', [], [from('alpine'), ...op('merge', [], [...op('set_user', ['x'], [run('true')])])]);
    expect(errors(solution(inMerge))).toEqual(['cannot use `::set_user` inside ::merge']);
  });
});

describe('from errors', () => {
  test('a second from, and a from inside a merge, are positioned errors', () => {
    const second = rule('a', [], [from('alpine'), from('busybox', span(30, 45))]);
    expect(planBuild([solution(second)]).diagnostics).toEqual([
      { severity: 'error', message: '`from` must come first in an image expression', span: span(30, 45) },
    ]);
    const twoImages = rule('a', [], [rule('b', [], [from('alpine')]), rule('c', [], [from('busybox')])]);
    expect(errors(solution(twoImages))).toEqual(['`from` must come first in an image expression']);
    const inMerge = rule('a', [], [from('alpine'), ...op('merge', [], [run('x'), from('busybox', span(50, 60))])]);
    expect(planBuild([solution(inMerge)]).diagnostics).toEqual([
      { severity: 'error', message: 'cannot start a new image inside ::merge', span: span(50, 60) },
    ]);
  });
});

describe('merge', () => {
  test('collects runs with their cwd and env into one node', () => {
    const a = rule('a', [], [
      ...op('set_workdir', ['/tmp'], [from('alpine')]),
      ...op('merge', [], [run('echo aaa > file'), ...op('in_env', ['A', '1'], [...op('in_workdir', ['d'], [run('echo bbb > file')])]), run('echo ccc > file2')]),
      run('after'),
    ]);
    expect(listing(solution(a))).toBe(
      lines(
        '%0 = from "alpine"',
        '%1 = set_workdir %0 "/tmp"',
        '%2 = merge %1 [run "echo aaa > file"; run "echo bbb > file" in "d" with A="1"; run "echo ccc > file2"]',
        '%3 = run %2 "after"',
        `%4 = set_label %3 ${LABEL} = "a"`,
        'outputs:',
        '  a = %4',
      ),
    );
  });

  test('nested merges flatten; logic literals and layer predicates inside are fine', () => {
    const layer = rule('layer', [], [run('from layer')]);
    const a = rule('a', [], [
      from('alpine'),
      ...op('merge', [], [
        run('aaa'),
        logic('string_eq', 'a', 'a'),
        logic('string_concat', 'a', 'b', 'ab'),
        ...op('merge', [], [run('bbb'), layer]),
        negation('_negate_3'),
        run('ddd'),
      ]),
    ]);
    const p = plan(solution(a));
    const merges = nodesOfKind(p, 'merge');
    expect(merges).toHaveLength(1);
    expect(merges[0]!.operations.map((o) => (o.kind === 'run' ? o.command : o.kind))).toEqual(['aaa', 'bbb', 'from layer', 'ddd']);
    expect(merges[0]!.operations[2]!.origin.predicates).toEqual(['a', 'layer']);
  });

  test('local copies and ::copy inside a merge', () => {
    const a = () => rule('a', [], [from('alpine'), run('echo aaa > /tmp/aaa')]);
    const b = rule('b', [], [
      from('alpine'),
      ...op('merge', [], [
        ...op('in_workdir', ['/tmp'], [
          ...op('copy', ['/tmp/aaa', 'bbb/ccc'], [a()]),
          copy('file', 'ddd/eee'),
          ...op('copy', ['/tmp/x', 'x'], [from('alpine'), run('echo x > /tmp/x')]),
        ]),
      ]),
    ]);
    expect(listing(solution(b))).toBe(
      lines(
        '%0 = from "alpine"',
        '%1 = run %0 "echo aaa > /tmp/aaa"',
        `%2 = set_label %1 ${LABEL} = "a"`,
        '%3 = run %0 "echo x > /tmp/x"',
        '%4 = merge %0 [copy %2:"/tmp/aaa" -> "/tmp/bbb/ccc"; copy context:"file" -> "/tmp/ddd/eee"; copy %3:"/tmp/x" -> "/tmp/x"]',
        `%5 = set_label %4 ${LABEL} = "b"`,
        'outputs:',
        '  b = %5',
      ),
    );
  });

  test('a merge before any image is an error; an empty merge adds nothing', () => {
    expect(errors(solution(rule('a', [], [...op('merge', [], [run('x')], span(0, 1))])))).toEqual([
      '`::merge` comes before any image: start with `from(...)` or an image predicate',
      '`a` does not build an image',
    ]);
    const empty = rule('a', [], [from('alpine'), ...op('merge', [], [logic('string_eq', 'a', 'a')])]);
    expect(plan(solution(empty)).nodes.map((n) => n.kind)).toEqual(['from', 'setLabel']);
  });

  test('copy source errors inside a merge', () => {
    const a = rule('a', [], [from('alpine'), ...op('merge', [], [copy('/abs', 'x')])]);
    expect(errors(solution(a))).toEqual(['copy source must be a relative path inside the build context']);
  });
});

describe('sharing', () => {
  test('a sub-image literal is built once for two outputs', () => {
    const a = () => rule('a', [], [from('alpine'), run('echo $RANDOM > /tmp/file')]);
    const p = plan(solution(rule('b', ['0'], [a()])), solution(rule('b', ['1'], [a()])));
    expect(printPlan(p)).toBe(
      lines(
        '%0 = from "alpine"',
        '%1 = run %0 "echo $RANDOM > /tmp/file"',
        `%2 = set_label %1 ${LABEL} = "a"`,
        `%3 = set_label %2 ${LABEL} = "b(\\"0\\")"`,
        `%4 = set_label %2 ${LABEL} = "b(\\"1\\")"`,
        'outputs:',
        '  b("0") = %3',
        '  b("1") = %4',
      ),
    );
  });

  test('a sub-image used by two ::copy in two outputs is one node', () => {
    const other = () => rule('other_image', [], [from('alpine'), run('head -c 100 /dev/urandom > /tmp/rand')]);
    const final = (x: string, y: string) =>
      rule('final', [x, y], [from('alpine'), run(`echo ${x}`), ...op('copy', ['/tmp/rand', '/tmp/rand'], [other()]), run(`echo ${y}`)]);
    const p = plan(solution(final('a', '1')), solution(final('a', '2')), solution(final('b', '1')));
    const copies = nodesOfKind(p, 'copyImage');
    expect(copies).toHaveLength(2); // final("a", _) share the run and the copy
    expect(new Set(copies.map((c) => c.image)).size).toBe(1);
    expect(nodesOfKind(p, 'run').filter((r) => r.command.startsWith('head'))).toHaveLength(1);
    expect(p.outputs.map((o) => o.literal)).toEqual(['final("a", "1")', 'final("a", "2")', 'final("b", "1")']);
  });

  test('two ::copy of the same literal in one image', () => {
    const a = () => rule('a', [], [from('alpine'), run('make files')]);
    const c = rule('c', [], [from('alpine'), ...op('copy', ['/tmp/file', '/tmp/file'], [a()]), ...op('copy', ['/tmp/file2', '/tmp/file2'], [a()])]);
    const p = plan(solution(c));
    const copies = nodesOfKind(p, 'copyImage');
    expect(copies[0]!.image).toBe(copies[1]!.image);
    expect(nodesOfKind(p, 'run')).toHaveLength(1);
  });

  test('identical steps of different literals are hash-consed, origins gather predicates', () => {
    const p = plan(solution(rule('x', [], [from('alpine'), run('same')])), solution(rule('y', [], [from('alpine'), run('same')])));
    expect(p.nodes.map((n) => n.kind)).toEqual(['from', 'run', 'setLabel', 'setLabel']);
    expect(p.nodes[1]!.origin).toEqual({ text: 'run("same")', image: 'x', predicates: ['x', 'y'] });
  });

  test('outputs are deduplicated by literal, in solution order', () => {
    const a = () => rule('a', [], [from('alpine')]);
    const b = () => rule('b', [], [from('busybox')]);
    const p = plan(solution(b(), [fact('q', '1')]), solution(a()), solution(b(), [fact('q', '2')]));
    expect(p.outputs.map((o) => o.literal)).toEqual(['b', 'a']);
  });

  test('dependencies always have smaller ids', () => {
    const a = () => rule('a', [], [from('alpine'), run('a')]);
    const p = plan(
      solution(rule('o', ['1'], [from('debian'), ...op('merge', [], [...op('copy', ['x', 'y'], [a()]), run('m')]), ...op('copy', ['p', 'q'], [a()])])),
      solution(rule('o', ['2'], [a(), ...op('cache_probe', ['probe'], [run('z')])])),
    );
    p.nodes.forEach((node, id) => {
      for (const dep of dependencies(node)) expect(dep).toBeLessThan(id);
    });
    for (const output of p.outputs) expect(output.node).toBeLessThan(p.nodes.length);
  });
});

describe('origins', () => {
  test('text, image, predicates and span of each step', () => {
    const setup = rule('setup', [], [run('apt-get update', span(100, 120))]);
    const app = rule('app', ['prod'], [
      rule('base', [], [from('alpine', span(0, 10))]),
      setup,
      ...op('copy', ['/a', 'b'], [from('busybox')], span(200, 230)),
    ], span(300, 311));
    const p = plan(solution(app));
    const byText = Object.fromEntries(p.nodes.map((n) => [n.origin.text, n.origin]));
    expect(byText['from("alpine")']).toEqual({ text: 'from("alpine")', image: 'base', predicates: ['base'], span: span(0, 10) });
    expect(byText['run("apt-get update")']).toEqual({ text: 'run("apt-get update")', image: 'app("prod")', predicates: ['app', 'setup'], span: span(100, 120) });
    expect(byText['::copy("/a", "b")']).toEqual({ text: '::copy("/a", "b")', image: 'app("prod")', predicates: ['app'], span: span(200, 230) });
    expect(byText['from("busybox")']!.image).toBe('app("prod")');
    expect(byText['app("prod")']).toEqual({ text: 'app("prod")', image: 'app("prod")', predicates: ['app'], span: span(300, 311) });
  });

  test('a solution without an image is a positioned error', () => {
    const result = planBuild([solution(rule('is_windows', ['x'], [logic('string_eq', 'x', 'x')], span(7, 20)))]);
    expect(result.diagnostics).toEqual([{ severity: 'error', message: '`is_windows("x")` does not build an image', span: span(7, 20) }]);
    expect(result.plan.outputs).toEqual([]);
  });
});

describe('cache operators', () => {
  test('no_cache, cache_key, cache_ttl nest and apply to run/copy/::copy steps inside only', () => {
    const a = rule('a', [], [
      from('alpine'),
      ...op('cache_key', ['v1'], [
        ...op('no_cache', [], [...op('cache_ttl', ['12h'], [run('one'), copy('f', 'g'), ...op('copy', ['/s', '/d'], [from('busybox')])])]),
        ...op('cache_key', ['v2'], [run('two')]),
      ]),
      run('three'),
    ]);
    expect(listing(solution(a))).toBe(
      lines(
        '%0 = from "alpine"',
        '%1 = run %0 "one" {no_cache, key "v1", ttl 43200s}',
        '%2 = copy %1 context:"f" -> "g" {no_cache, key "v1", ttl 43200s}',
        '%3 = from "busybox"',
        '%4 = copy %2 %3:"/s" -> "/d" {no_cache, key "v1", ttl 43200s}',
        '%5 = run %4 "two" {key "v1", key "v2"}',
        '%6 = run %5 "three"',
        `%7 = set_label %6 ${LABEL} = "a"`,
        'outputs:',
        '  a = %7',
      ),
    );
  });

  test('a cache operator on an image expression applies to its steps and keeps it apart from the plain image', () => {
    const base = () => rule('base', [], [from('alpine'), run('git clone x')]);
    const p = plan(
      solution(rule('fresh', [], [...op('no_cache', [], [base()]), run('make')])),
      solution(rule('plain', [], [base(), run('make')])),
    );
    expect(printPlan(p)).toBe(
      lines(
        '%0 = from "alpine"',
        '%1 = run %0 "git clone x" {no_cache}',
        `%2 = set_label %1 ${LABEL} = "base"`,
        '%3 = run %2 "make"',
        `%4 = set_label %3 ${LABEL} = "fresh"`,
        '%5 = run %0 "git clone x"',
        `%6 = set_label %5 ${LABEL} = "base"`,
        '%7 = run %6 "make"',
        `%8 = set_label %7 ${LABEL} = "plain"`,
        'outputs:',
        '  fresh = %4',
        '  plain = %8',
      ),
    );
  });

  test('cache_probe records its command, origin and the image it starts from', () => {
    const a = rule('a', [], [from('alpine'), run('apk add git'), ...op('cache_probe', ['git ls-remote u HEAD'], [run('git clone u'), run('make')], span(40, 50))]);
    const p = plan(solution(a));
    const runs = nodesOfKind(p, 'run');
    expect(runs[1]!.cache.probes).toEqual([
      { command: 'git ls-remote u HEAD', base: 1, origin: { text: '::cache_probe("git ls-remote u HEAD")', image: 'a', predicates: ['a'], span: span(40, 50) } },
    ]);
    expect(runs[2]!.cache.probes.map((pr) => pr.base)).toEqual([1]);
    expect(runs[0]!.cache.probes).toEqual([]);
  });

  test('a merge gathers the cache control of its operations', () => {
    const a = rule('a', [], [
      from('alpine'),
      ...op('cache_key', ['outer'], [...op('merge', [], [run('x'), ...op('no_cache', [], [...op('cache_ttl', ['30m'], [run('y')])])])]),
    ]);
    expect(listing(solution(a))).toContain('%1 = merge %0 [run "x"; run "y"] {no_cache, key "outer", ttl 1800s}');
  });

  test('a bad ttl is a positioned error and the steps are still planned', () => {
    const a = rule('a', [], [from('alpine'), ...op('cache_ttl', ['soon'], [run('x')], span(12, 30))]);
    const result = planBuild([solution(a)]);
    expect(result.diagnostics).toEqual([
      { severity: 'error', message: 'invalid duration `soon`: expected a number followed by s, m, h or d', span: span(12, 30) },
    ]);
    expect(result.plan.nodes.map((n) => n.kind)).toEqual(['from', 'run', 'setLabel']);
  });
});

describe('determinism', () => {
  function sample() {
    const other = () => rule('other', ['1'], [from('debian'), run('dd if=/dev/urandom of=file')]);
    const img = (mode: string) =>
      rule('image', [mode], [
        ...op('set_workdir', ['/tmp'], [from('alpine')]),
        ...op('merge', [], [run('a'), ...op('copy', ['file', 'file2'], [other()]), ...op('in_env', ['Z', '1'], [run('b')]), ...op('in_env', ['A', '2'], [run('c')])]),
        ...op('cache_ttl', ['7d'], [run('d')]),
      ]);
    return [solution(img('merge')), solution(img('no merge')), solution(img('merge'))];
  }

  test('same input, same plan bytes; diagnostics too', () => {
    const first = planBuild(sample());
    const second = planBuild(sample());
    expect(JSON.stringify(second)).toBe(JSON.stringify(first));
    expect(first.plan.outputs.map((o) => o.literal)).toEqual(['image("merge")', 'image("no merge")']);
  });
});

function dependencies(node: PlanNode): number[] {
  const deps: number[] = [];
  if ('parent' in node) deps.push(node.parent);
  if (node.kind === 'copyImage') deps.push(node.image);
  if (node.kind === 'merge') for (const o of node.operations) if (o.kind === 'copyImage') deps.push(o.image);
  if ('cache' in node) for (const p of node.cache.probes) if (p.base !== undefined) deps.push(p.base);
  return deps;
}
