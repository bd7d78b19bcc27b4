/** The planner behind the real parser, checks, translation and solver on a small Modusfile per feature. */
import { SourceFile } from '../../../grammar/source';
import { loadProgramText, planSolutions, solveGoal } from '../../../frontend/pipeline';
import { printPlan, LITERAL_LABEL, type BuildPlan, type PlanNode } from '../../../frontend/planner';
import { planWithMessages as planOf } from '../../support/plan-of';

const LABEL = `"${LITERAL_LABEL}"`;

function listing(modusfile: string, goal: string): string {
  const { plan, messages } = planOf(modusfile, goal);
  expect(messages).toEqual([]);
  return printPlan(plan);
}

function lines(...text: string[]): string {
  return text.join('\n') + '\n';
}

function nodesOfKind<K extends PlanNode['kind']>(p: BuildPlan, kind: K): Extract<PlanNode, { kind: K }>[] {
  return p.nodes.filter((n): n is Extract<PlanNode, { kind: K }> => n.kind === kind);
}

test('a rule on a base image: one run, each image labelled with its literal', () => {
  const src = 'a :- from("alpine").\nb :- a, run("echo aaa > /tmp/a").\n';
  expect(listing(src, 'b')).toBe(
    lines(
      '%0 = from "alpine"',
      `%1 = set_label %0 ${LABEL} = "a"`,
      '%2 = run %1 "echo aaa > /tmp/a"',
      `%3 = set_label %2 ${LABEL} = "b"`,
      'outputs:',
      '  b = %3',
    ),
  );
});

test('nested ::in_workdir paths join, an absolute one replaces, relative ones stay relative', () => {
  const src = `a :- from("alpine")::set_workdir("/tmp"),
  run("pwd >> /log"),
  run("pwd >> /log")::in_workdir("a"),
  (
    run("pwd >> /log"),
    run("pwd >> /log")::in_workdir("c"),
    run("pwd >> /log")::in_workdir("/")
  )::in_workdir("b").
`;
  const { plan, messages } = planOf(src, 'a');
  expect(messages).toEqual([]);
  expect(nodesOfKind(plan, 'setWorkdir').map((n) => n.path)).toEqual(['/tmp']);
  expect(nodesOfKind(plan, 'run').map((n) => n.cwd)).toEqual(['', 'a', 'b', 'b/c', '/']);
});

test('many outputs: one from, shared first run, twenty outputs', () => {
  const facts = Array.from({ length: 20 }, (_, i) => `aa("${i + 1}").`).join('\n');
  const src = `a(X) :- aa(X), from("alpine"), run("sleep 1"), run(f"echo \${X}").\n${facts}\n`;
  const { plan, messages } = planOf(src, 'a(X)');
  expect(messages).toEqual([]);
  expect(plan.outputs).toHaveLength(20);
  expect(nodesOfKind(plan, 'from')).toHaveLength(1);
  expect(nodesOfKind(plan, 'run').filter((r) => r.command === 'sleep 1')).toHaveLength(1);
  expect(plan.outputs[0]).toMatchObject({ literal: 'a("1")', predicate: 'a', args: ['1'] });
});

test('a sub-image copied from, and one inside ::merge, is planned once for every image that uses it', () => {
  const src = `other_image :- from("alpine"), run("head -c 100 /dev/urandom > /tmp/rand").
final(x, y) :- from("alpine"), run(f"echo \${x}\${y}"), other_image::copy("/tmp/rand", "/tmp/rand").
v("a"). v("b"). w("1"). w("2").
a :- from("alpine"), run("echo $RANDOM > /tmp/file").
m(x) :- v(x), from("alpine"), (a::copy("/tmp/file", "/tmp/file"), (from("alpine"), run("echo aaaa > /tmp/aaa"))::copy("/tmp/aaa", "/tmp/aaa"))::merge.
`;
  const finals = planOf(src, 'v(X), w(Y), final(X, Y)').plan;
  expect(finals.outputs).toHaveLength(4);
  expect(new Set(nodesOfKind(finals, 'copyImage').map((c) => c.image)).size).toBe(1);
  expect(nodesOfKind(finals, 'run').filter((r) => r.command.startsWith('head'))).toHaveLength(1);

  const merged = planOf(src, 'm(X)').plan;
  // m("a") and m("b") have identical steps: one merge node, one random run, two labelled outputs
  const merges = nodesOfKind(merged, 'merge');
  expect(merges).toHaveLength(1);
  expect(nodesOfKind(merged, 'run').filter((r) => r.command.includes('RANDOM'))).toHaveLength(1);
  expect(merged.outputs.map((o) => [o.literal, merged.nodes[o.node]!.kind])).toEqual([
    ['m("a")', 'setLabel'],
    ['m("b")', 'setLabel'],
  ]);
  expect(merges[0]!.origin.predicates).toEqual(['m']);
});

test('::copy chains: an inline image operand, a comment inside', () => {
  const src = `a :- from("alpine"), run("echo content > /tmp/aaa").
b :- from("alpine"), a::copy("/tmp/aaa", "/tmp/bbb").
c :- from("alpine"), b::copy("/tmp/bbb", "/tmp/ccc").
d :- c, run("cp /tmp/ccc /tmp/ddd").
f :- from("alpine"), ( # comment
  from("alpine"), d::copy("/tmp/ddd", "/tmp/eee") )::copy("/tmp/eee", "/tmp/fff").
`;
  expect(listing(src, 'f')).toBe(
    lines(
      '%0 = from "alpine"',
      '%1 = run %0 "echo content > /tmp/aaa"',
      `%2 = set_label %1 ${LABEL} = "a"`,
      '%3 = copy %0 %2:"/tmp/aaa" -> "/tmp/bbb"',
      `%4 = set_label %3 ${LABEL} = "b"`,
      '%5 = copy %0 %4:"/tmp/bbb" -> "/tmp/ccc"',
      `%6 = set_label %5 ${LABEL} = "c"`,
      '%7 = run %6 "cp /tmp/ccc /tmp/ddd"',
      `%8 = set_label %7 ${LABEL} = "d"`,
      '%9 = copy %0 %8:"/tmp/ddd" -> "/tmp/eee"',
      '%10 = copy %0 %9:"/tmp/eee" -> "/tmp/fff"',
      `%11 = set_label %10 ${LABEL} = "f"`,
      'outputs:',
      '  f = %11',
    ),
  );
});

test('scratch, in_workdir copies, append_path', () => {
  const src = `bbox :- from("busybox")::set_workdir("/bin").
scratch_with_shell :- ( from("scratch"), ( bbox::copy("sh", "sh"), bbox::copy("cat", "cat") )::in_workdir("/bin") )::append_path("/bin").
a :- scratch_with_shell, run("echo hello > /aa").
`;
  expect(listing(src, 'a')).toBe(
    lines(
      '%0 = scratch',
      '%1 = from "busybox"',
      '%2 = set_workdir %1 "/bin"',
      `%3 = set_label %2 ${LABEL} = "bbox"`,
      '%4 = copy %0 %3:"sh" -> "/bin/sh"',
      '%5 = copy %4 %3:"cat" -> "/bin/cat"',
      '%6 = append_path %5 "/bin"',
      `%7 = set_label %6 ${LABEL} = "scratch_with_shell"`,
      '%8 = run %7 "echo hello > /aa"',
      `%9 = set_label %8 ${LABEL} = "a"`,
      'outputs:',
      '  a = %9',
    ),
  );
});

test('a nested ::merge flattens into one; logic literals inside a ::merge add nothing', () => {
  const src = `a :- from("alpine")::set_workdir("/tmp"),
  (run("echo aaa > file"), (run("echo bbb > file"), run("echo ccc > file2"))::merge, run("echo ddd > file"))::merge.
b :- from("alpine"), (run("true"), "a" = "a", string_concat("a", "b", "ab"))::merge.
`;
  expect(listing(src, 'a')).toContain(
    '%2 = merge %1 [run "echo aaa > file"; run "echo bbb > file"; run "echo ccc > file2"; run "echo ddd > file"]',
  );
  expect(listing(src, 'b')).toContain('%1 = merge %0 [run "true"]');
});

test('::merge of a ::copy and a run under ::in_workdir', () => {
  const src = `a :- from("alpine")::set_workdir("/tmp/aaa"), run("echo aaaaa > /tmp/aaa/file").
b :- from("alpine"), ( a::copy("file", "aaa"), run("echo bbbbb >> aaa") )::in_workdir("/tmp")::merge.
`;
  expect(listing(src, 'b')).toContain('merge %0 [copy %3:"file" -> "/tmp/aaa"; run "echo bbbbb >> aaa" in "/tmp"]');
});

test('image settings: env, entrypoint and cmd as string or list', () => {
  const src = `base :- from("alpine")::set_entrypoint("/bin/echo").
c(X) :- base::set_cmd([X]).
d(X) :- from("alpine")::set_entrypoint(X).
e :- (from("alpine"), run("adduser -D dev"))::set_user("dev")::set_env("A", "1")::append_path("/x"), run("id > ~/out")::in_env("B", "2").
app(param) :- from("alpine")::set_entrypoint(["sh", "-c", param]).
`;
  expect(listing(src, 'c("aaa")')).toContain('set_cmd %2 ["aaa"]');
  expect(listing(src, 'd("aaa")')).toContain('set_entrypoint %0 ["aaa"]');
  expect(listing(src, 'app("ash")')).toContain('set_entrypoint %0 ["sh", "-c", "ash"]');
  const e = listing(src, 'e');
  expect(e).toContain('%2 = set_user %1 "dev"\n%3 = set_env %2 "A" = "1"\n%4 = append_path %3 "/x"\n%5 = run %4 "id > ~/out" with B="2"');
});

test('negation: only the chosen branch is planned', () => {
  const src = `is_windows(variant) :- variant = f"windows/\${suffix}".
app(X) :- ( is_windows(X), from("jturolla/failing-container") ; !is_windows(X), from(X), run("echo hello-world") ).
`;
  expect(listing(src, 'app("alpine:3.15")')).toBe(
    lines(
      '%0 = from "alpine:3.15"',
      '%1 = run %0 "echo hello-world"',
      `%2 = set_label %1 ${LABEL} = "app(\\"alpine:3.15\\")"`,
      'outputs:',
      '  app("alpine:3.15") = %2',
    ),
  );
});

test('cache operators through the pipeline, with positions', () => {
  const src = `app :- from("alpine"),
  run("git clone u")::cache_probe("git ls-remote u HEAD")::cache_ttl("7d"),
  run("make")::no_cache::cache_key("v2").
bad :- from("alpine"), run("x")::cache_ttl("soon").
`;
  const text = listing(src, 'app');
  expect(text).toContain('%1 = run %0 "git clone u" {probe "git ls-remote u HEAD" on %0, ttl 604800s}');
  expect(text).toContain('%2 = run %1 "make" {no_cache, key "v2"}');
  const bad = planOf(src, 'bad');
  expect(bad.messages).toEqual(['invalid duration `soon`: expected a number followed by s, m, h or d']);
});

test('origins carry source positions of the Modusfile', () => {
  const src = 'a :- from("alpine"),\n  run("make").\n';
  const { plan, file } = planOf(src, 'a');
  const runNode = nodesOfKind(plan, 'run')[0]!;
  expect(runNode.origin.text).toBe('run("make")');
  expect(file.location(runNode.origin.span!.start)).toBe('Modusfile:2:3');
});

test('copy source errors are positioned in the Modusfile', () => {
  const file = new SourceFile('Modusfile', 'a :- from("alpine"),\n  copy("/etc/passwd", "x").\n');
  const solved = solveGoal(loadProgramText(file).program!, 'a', { cost: 'layers', forBuild: true });
  const { diagnostics } = planSolutions(solved.solutions);
  expect(diagnostics.map((d) => [d.message, file.location(d.span!.start)])).toEqual([
    ['copy source must be a relative path inside the build context', 'Modusfile:2:3'],
  ]);
});

test('the same Modusfile and goal give byte-identical plans', () => {
  const src = `other(x) :- from("debian"), run(f"make \${x}").
image(m) :- v(m), from("alpine")::set_workdir("/tmp"), (run("a"), other(m)::copy("f", "g"))::merge, other("1")::copy("h", "i").
v("1"). v("2").
`;
  const first = JSON.stringify(planOf(src, 'image(X)').plan);
  expect(JSON.stringify(planOf(src, 'image(X)').plan)).toBe(first);
});
