/** `::mount_cache`, `::mount_secret`, `::mount_ssh`, `::mount_tmpfs`: checks, plan and LLB. */
import { SourceFile } from '../../../grammar/source';
import { loadProgramText, planSolutions, solveGoal } from '../../../frontend/pipeline';
import { printPlan } from '../../../frontend/planner';
import { buildMounts } from '../../../frontend/imagegen/generate';
import { image, marshal, requiredCaps, sha256Digest, type Definition } from '../../../frontend/llb';
import { decodeMessage } from '../../../proto/schema';
import { planWithMessages as planOf } from '../../support/plan-of';

type ExecMount = { dest: string; mountType?: number; secretOpt?: Record<string, unknown>; SSHOpt?: Record<string, unknown> };
type Op = { inputs: { digest: string }[]; exec?: { meta: { env: string[] }; mounts: ExecMount[] } };

function resultOp(def: Definition): Op {
  const terminal = decodeMessage<Op>('pb.Op', def.def[def.def.length - 1]!);
  const digest = terminal.inputs[0]!.digest;
  return decodeMessage<Op>('pb.Op', def.def.find((b) => sha256Digest(b) === digest)!);
}

function load(modusfile: string) {
  return loadProgramText(new SourceFile('Modusfile', modusfile));
}

function errorsOf(modusfile: string): string[] {
  return load(modusfile).diagnostics.filter((d) => d.severity === 'error').map((d) => d.message);
}

function runLines(modusfile: string, goal: string): string[] {
  const { plan, messages } = planOf(modusfile, goal);
  expect(messages).toEqual([]);
  return printPlan(plan)
    .split('\n')
    .filter((l) => / = (run|merge) /.test(l));
}

describe('checks', () => {
  test('arity: the optional second argument, and no more', () => {
    expect(errorsOf('a :- from("x"), run("y")::mount_cache("/c", "id", "z").\n')).toEqual([
      'Operator `mount_cache` expects 1 or 2 arguments (target, id), but 3 were given.',
    ]);
    expect(errorsOf('a :- from("x"), run("y")::mount_secret.\n')).toEqual([
      'Operator `mount_secret` expects 1 or 2 arguments (id, target), but 0 were given.',
    ]);
    expect(errorsOf('a :- from("x"), run("y")::mount_tmpfs("/a", "/b").\n')).toEqual([
      'Operator `mount_tmpfs` expects 1 argument (target), but 2 were given.',
    ]);
    expect(errorsOf('a :- from("x"), run("y")::mount_ssh, run("z")::mount_ssh("gh").\n')).toEqual([]);
  });

  test('kinds: keeps the kind of an image or layer operand, refuses a logic one', () => {
    expect(errorsOf('a :- from("x")::mount_cache("/c"), run("y").\nb :- a::mount_tmpfs("/t").\n')).toEqual([]);
    expect(errorsOf('a :- from("x"), (b("1"))::mount_secret("s").\nb("1").\n')).toEqual(['Expected kind: Image or Layer']);
  });

  test('arguments must be ground', () => {
    const loaded = load('a(X) :- from("x"), run("y")::mount_secret(X).\n');
    const solved = solveGoal(loaded.program!, 'a(X)', { cost: 'layers', forBuild: true });
    expect(solved.diagnostics.some((d) => d.severity === 'error')).toBe(true);
  });
});

describe('plan', () => {
  test('every run inside the operand gets the mount, with the defaults of Dockerfiles', () => {
    const src = [
      'a :- from("alpine"),',
      '  (run("npm ci"), run("npm test"))::mount_cache("/root/.npm")::mount_secret("npmrc"),',
      '  run("git clone x")::mount_ssh,',
      '  run("make")::mount_tmpfs("/tmp")::mount_cache("/c", "shared")::mount_secret("tok", "/etc/tok")::mount_ssh("gh"),',
      '  run("plain").',
      '',
    ].join('\n');
    expect(runLines(src, 'a')).toEqual([
      '%1 = run %0 "npm ci" mounting secret "npmrc" at "/run/secrets/npmrc", cache "/root/.npm" at "/root/.npm"',
      '%2 = run %1 "npm test" mounting secret "npmrc" at "/run/secrets/npmrc", cache "/root/.npm" at "/root/.npm"',
      '%3 = run %2 "git clone x" mounting ssh "default"',
      '%4 = run %3 "make" mounting ssh "gh", secret "tok" at "/etc/tok", cache "shared" at "/c", tmpfs at "/tmp"',
      '%5 = run %4 "plain"',
    ]);
  });

  test('an inner mount at the same place replaces the outer one; in_workdir places relative targets', () => {
    const src = 'a :- from("alpine"), (run("x")::mount_cache("/c", "inner"))::mount_cache("/c", "outer")::mount_tmpfs("/t"), run("y")::mount_tmpfs("t")::in_workdir("/w").\n';
    expect(runLines(src, 'a')).toEqual([
      '%1 = run %0 "x" mounting tmpfs at "/t", cache "inner" at "/c"',
      '%2 = run %1 "y" in "/w" mounting tmpfs at "/w/t"',
    ]);
  });

  test('inside ::merge, the runs keep their mounts', () => {
    const src = 'a :- from("alpine"), (run("x")::mount_secret("s"), run("y"))::merge.\n';
    expect(runLines(src, 'a')).toEqual(['%1 = merge %0 [run "x" mounting secret "s" at "/run/secrets/s"; run "y"]']);
  });

  test('two runs of one ::merge with different mounts at one place: an error at the later mount', () => {
    const src = 'a :- from("alpine"), (run("x")::mount_cache("/c", "one"), run("y")::mount_tmpfs("/t"), run("z")::mount_cache("/c", "two"))::merge.\n';
    const loaded = load(src);
    const solved = solveGoal(loaded.program!, 'a', { cost: 'layers', forBuild: true });
    const { diagnostics } = planSolutions(solved.solutions);
    expect(diagnostics.map((d) => [d.severity, d.message])).toEqual([
      [
        'error',
        '`::mount_cache("/c", "two")` and `::mount_cache("/c", "one")` of an earlier run in the same ::merge are two mounts at `/c`: ' +
          'the runs of a merge share their mounts; give them the same mount, or another place',
      ],
    ]);
    const span = diagnostics[0]!.span!;
    expect(src.slice(span.start, span.end)).toBe('run("z")::mount_cache("/c", "two")');
  });

  test('inside ::merge, the same mount on several runs, or mounts at different places, are fine', () => {
    const src = 'a :- from("alpine"), (run("x"), run("y"))::mount_cache("/c")::merge, (run("p")::mount_secret("s"), run("q")::mount_secret("s", "/s"))::merge.\n';
    expect(planOf(src, 'a').messages).toEqual([]);
  });

  test('a bad secret or agent id is a positioned error', () => {
    const { messages } = planOf('a :- from("alpine"), run("x")::mount_secret("../etc/passwd").\n', 'a');
    expect(messages).toEqual(['`::mount_secret`: `../etc/passwd` is not a valid id (letters, digits, `.`, `_`, `-`)']);
  });
});

describe('LLB', () => {
  test('exec mounts of each type; SSH_AUTH_SOCK names the first agent', () => {
    const mounts = buildMounts(
      [
        { kind: 'cache', target: 'cache', id: 'c1', origin: { text: '', image: '', predicates: [] } },
        { kind: 'secret', id: 's1', target: '/run/secrets/s1', origin: { text: '', image: '', predicates: [] } },
        { kind: 'ssh', id: 'default', origin: { text: '', image: '', predicates: [] } },
        { kind: 'ssh', id: 'gh', origin: { text: '', image: '', predicates: [] } },
        { kind: 'tmpfs', target: '/tmp', origin: { text: '', image: '', predicates: [] } },
      ],
      '/work',
    );
    expect(mounts).toEqual([
      { type: 'cache', dest: '/work/cache', id: 'c1', sharing: 'shared' },
      { type: 'secret', dest: '/run/secrets/s1', id: 's1' },
      { type: 'ssh', dest: '/run/buildkit/ssh_agent.0', id: 'default' },
      { type: 'ssh', dest: '/run/buildkit/ssh_agent.1', id: 'gh' },
      { type: 'tmpfs', dest: '/tmp' },
    ]);
    const def = marshal(image('alpine').run({ args: ['/bin/sh', '-c', 'x'], mounts }));
    const exec = resultOp(def).exec!;
    expect(exec.meta.env).toContain('SSH_AUTH_SOCK=/run/buildkit/ssh_agent.0');
    expect(exec.mounts.map((m) => [m.mountType ?? 0, m.dest])).toEqual([
      [0, '/'],
      [2, '/run/buildkit/ssh_agent.0'],
      [2, '/run/buildkit/ssh_agent.1'],
      [1, '/run/secrets/s1'],
      [4, '/tmp'],
      [3, '/work/cache'],
    ]);
    expect(exec.mounts.find((m) => m.dest === '/run/secrets/s1')!.secretOpt).toEqual({ ID: 's1', mode: 0o400 });
    expect(exec.mounts.find((m) => m.dest === '/run/buildkit/ssh_agent.1')!.SSHOpt).toEqual({ ID: 'gh', mode: 0o600 });
    expect(requiredCaps(def)).toEqual(expect.arrayContaining(['exec.mount.secret', 'exec.mount.ssh', 'exec.mount.cache', 'exec.mount.tmpfs']));
  });
});
