/** Plan → Dockerfile text, through the real parser, checks, solver and planner. */
import { LITERAL_LABEL, type BuildPlan } from '../../../frontend/planner';
import { outputStages, runScript, transpile, type TranspileOptions } from '../../../frontend/transpile';
import { quoteWord, expandingJsonElement } from '../../../frontend/transpile/quote';
import { planWithMessages } from '../../support/plan-of';

function planOf(modusfile: string, goal: string): BuildPlan {
  const { plan, messages } = planWithMessages(modusfile, goal);
  expect(messages).toEqual([]);
  return plan;
}

function dockerfileOf(modusfile: string, goal: string, options: TranspileOptions = {}) {
  return transpile(planOf(modusfile, goal), options);
}

/** The instructions only (no comments, no blank lines). */
function instructions(text: string): string[] {
  return text.split('\n').filter((l) => l !== '' && !l.startsWith('#'));
}

const LABEL = `"${LITERAL_LABEL}"`;

test('one stage per node, a named stage per image, the literal label', () => {
  const result = dockerfileOf('a :- from("busybox").\nb :- a, run("echo aaa > /tmp/a").\n', 'b');
  expect(result.diagnostics).toEqual([]);
  expect(instructions(result.dockerfile)).toEqual([
    'FROM busybox AS n_0',
    'FROM n_0 AS n_1',
    `LABEL ${LABEL}="a"`,
    'FROM n_1 AS n_2',
    'RUN ["/bin/sh","-c","echo aaa > /tmp/a"]',
    'FROM n_2 AS n_3',
    `LABEL ${LABEL}="b"`,
    'FROM n_3 AS b',
  ]);
  expect(result.targets).toEqual([{ literal: 'b', predicate: 'b', args: [], stage: 'b' }]);
});

test('the header lists the targets and never reads as a parser directive', () => {
  const src = 'a(X) :- x(X), from("busybox"), run(f"echo ${X}").\nx("1").\nx("2").\n';
  const { dockerfile } = dockerfileOf(src, 'a(X)', { goal: 'a(X)' });
  const first = dockerfile.split('\n')[0]!;
  expect(first).not.toMatch(/^#\s*[a-zA-Z][a-zA-Z0-9]*\s*=/);
  expect(dockerfile).toContain('# goal: a(X)');
  expect(dockerfile).toMatch(/#   a-1\s+a\("1"\)/);
  expect(dockerfile).toMatch(/#   a-2\s+a\("2"\)/);
  expect(dockerfile.trimEnd().split('\n').slice(-1)[0]).toMatch(/^FROM n_\d+ AS a-2$/);
});

test('every operator has an instruction', () => {
  const src = [
    'a :- (from("busybox")::set_workdir("/w")::set_env("A", "1")::append_path("/x")',
    '  ::set_entrypoint(["sh", "-c"])::set_cmd(["echo hi"])::set_label("k", "v")::set_user("dev")),',
    '  copy("f", "g").',
  ].join('\n');
  const { dockerfile, diagnostics } = dockerfileOf(src + '\n', 'a');
  expect(diagnostics).toEqual([]);
  const lines = instructions(dockerfile).filter((l) => !l.startsWith('FROM'));
  expect(lines).toEqual([
    'WORKDIR "/w"',
    'ENV "A"="1"',
    'ENV PATH="${PATH}:/x"',
    'ENTRYPOINT ["sh","-c"]',
    'CMD ["echo hi"]',
    'LABEL "k"="v"',
    'USER "dev"',
    'COPY ["f","g"]',
    `LABEL ${LABEL}="a"`,
  ]);
});

test('in_workdir and in_env wrap the command instead of changing the image config', () => {
  const src = 'a :- from("busybox"), run("pwd > /log")::in_workdir("sub dir")::in_env("K", "it\'s").\n';
  const { dockerfile } = dockerfileOf(src, 'a');
  const run = instructions(dockerfile).find((l) => l.startsWith('RUN'))!;
  const args = JSON.parse(run.slice(4)) as string[];
  expect(args.slice(0, 2)).toEqual(['/bin/sh', '-c']);
  expect(args[2]).toBe(`{ [ -d 'sub dir' ] || mkdir -p 'sub dir'; } && cd 'sub dir' && export K='it'\\''s' && exec /bin/sh -c 'pwd > /log'`);
  expect(dockerfile).not.toContain('WORKDIR');
  expect(dockerfile).not.toContain('ENV');
});

test('runScript: the bare command when there is nothing to wrap; cache keys as a no-op', () => {
  expect(runScript('make', '', [], [])).toBe('make');
  expect(runScript('make', '', [], ['v2'])).toBe(`: 'modus cache key v2' && exec /bin/sh -c 'make'`);
});

test('relative ::copy sources resolve against the source image working directory', () => {
  const src = [
    'a :- from("busybox")::set_workdir("/tmp/"), run("echo x > file").',
    'b :- from("busybox"), a::copy("file", "/tmp/copied").',
    'c :- from("busybox"), a::copy("/abs", "rel").',
  ].join('\n');
  const b = dockerfileOf(src + '\n', 'b');
  expect(b.dockerfile).toMatch(/COPY --from=n_\d+ \["\/tmp\/file","\/tmp\/copied"\]/);
  expect(b.diagnostics).toEqual([]);
  const c = dockerfileOf(src + '\n', 'c');
  expect(c.dockerfile).toMatch(/COPY --from=n_\d+ \["\/abs","rel"\]/);
});

test('a base image working directory comes from the options, else / with a warning', () => {
  const src = 'a :- from("node").\nb :- from("busybox"), a::copy("app", "/app").\n';
  const known = dockerfileOf(src, 'b', { baseWorkdirs: new Map([['node', 'srv'], ['busybox', '']]) });
  expect(known.dockerfile).toContain('["/srv/app","/app"]');
  expect(known.diagnostics).toEqual([]);
  const unknown = dockerfileOf(src, 'b');
  expect(unknown.dockerfile).toContain('["/app","/app"]');
  expect(unknown.diagnostics.map((d) => [d.severity, d.message])).toEqual([
    ['warning', 'the working directory of base image `node` is unknown (its configuration was not available); assumed /'],
  ]);
});

test('digest references are kept as written', () => {
  const ref = 'busybox@sha256:' + 'a'.repeat(64);
  const { dockerfile } = dockerfileOf(`a :- from("${ref}").\n`, 'a');
  expect(dockerfile).toContain(`FROM ${ref} AS n_0`);
});

test('scratch', () => {
  const { dockerfile } = dockerfileOf('a :- from("scratch")::set_workdir("/tmp").\n', 'a');
  expect(instructions(dockerfile).slice(0, 3)).toEqual(['FROM scratch AS n_0', 'FROM n_0 AS n_1', 'WORKDIR "/tmp"']);
});

test('a merge of copies is one COPY per copy; a merge with runs is one RUN with bind mounts', () => {
  const src = [
    'other :- from("busybox")::set_workdir("/o"), run("echo o > f").',
    'copies :- from("busybox"), (copy("x", "/x"), other::copy("f", "/f"))::merge.',
    'mixed :- from("busybox")::set_workdir("/w"), (copy("x", "x"), other::copy("f", "/f"), run("cat x"))::merge.',
  ].join('\n');
  const copies = instructions(dockerfileOf(src + '\n', 'copies').dockerfile);
  expect(copies).toContain('COPY ["x","/x"]');
  expect(copies.some((l) => /^COPY --from=n_\d+ \["\/o\/f","\/f"\]$/.test(l))).toBe(true);

  const mixed = instructions(dockerfileOf(src + '\n', 'mixed').dockerfile);
  const run = mixed.find((l) => l.startsWith('RUN --mount'))!;
  expect(run).toMatch(
    /^RUN --mount=type=bind,source=\/,target=\/dev\/\.modus-merge\/0 --mount=type=bind,from=n_\d+,source=\/,target=\/dev\/\.modus-merge\/1 \["\/bin\/sh","-c",/,
  );
  const script = (JSON.parse(run.slice(run.indexOf('["'))) as string[])[2]!;
  expect(script).toContain("/dev/.modus-merge/0/x");
  expect(script).toContain("/dev/.modus-merge/1/o/f");
  expect(script).toContain("'/w/x'");
  expect(script).toContain("/bin/sh -c 'cat x'");
});

test('values are escaped for the Dockerfile lexer', () => {
  expect(quoteWord('a "b" $c \\d \'e\'')).toBe('"a \\"b\\" \\$c \\\\d \'e\'"');
  expect(expandingJsonElement(`it's $x "y" \\`)).toBe(`it\\'s \\$x \\"y\\" \\\\`);
  const { dockerfile } = dockerfileOf('a :- from("busybox"), copy("f$1", "d\'x").\n', 'a');
  expect(dockerfile).toContain(String.raw`COPY ["f\\$1","d\\'x"]`);
});

test('a line break in a config value is an error with the position; in run and copy it is fine', () => {
  const ok = dockerfileOf('a :- from("busybox"), run("echo a\\necho b"), copy("f", "a\\nb").\n', 'a');
  expect(ok.diagnostics).toEqual([]);
  expect(ok.dockerfile).toContain('"echo a\\necho b"');
  const bad = dockerfileOf('a :- from("busybox")::set_workdir("/tmp/\\n").\n', 'a');
  expect(bad.diagnostics).toHaveLength(1);
  expect(bad.diagnostics[0]!.severity).toBe('error');
  expect(bad.diagnostics[0]!.span).toBeDefined();
});

test('cache operators the Dockerfile cannot express are warnings and comments', () => {
  const { dockerfile, diagnostics } = dockerfileOf('a :- from("busybox"), run("date")::no_cache, copy("f", "g")::cache_key("v1").\n', 'a');
  expect(diagnostics.map((d) => d.message)).toEqual([
    '::no_cache cannot be expressed in a Dockerfile; this step is cached as usual',
    '::cache_key cannot be expressed in a Dockerfile; this step is cached as usual',
  ]);
  expect(dockerfile).toContain('# note: ::no_cache cannot be expressed');
});

test('output stage names are valid, unique and never a base image name', () => {
  const src = 'busybox :- from("busybox").\nimg(X) :- v(X), from("busybox").\nv("A b").\nv("a-B").\nv("3.1").\n';
  expect(outputStages(planOf(src, 'busybox')).map((t) => t.stage)).toEqual(['busybox-2']);
  expect(outputStages(planOf(src, 'img(X)')).map((t) => t.stage)).toEqual(['img-a-b', 'img-a-b-2', 'img-3.1']);
});

test('deterministic: the same plan gives the same bytes', () => {
  const src = 'a(X) :- x(X), from("busybox"), run(f"echo ${X}").\nx("1").\nx("2").\n';
  expect(dockerfileOf(src, 'a(X)').dockerfile).toBe(dockerfileOf(src, 'a(X)').dockerfile);
});

test('::mount_* become RUN --mount flags under the dockerfile:1 syntax line', () => {
  const src = [
    'a :- from("alpine"),',
    '  run("npm ci")::mount_cache("/root/.npm")::mount_secret("npmrc"),',
    '  run("git clone x")::mount_ssh::mount_tmpfs("/tmp"),',
    '  (run("y")::mount_cache("/c", "shared"), run("z"))::merge.',
    '',
  ].join('\n');
  const { dockerfile, diagnostics } = dockerfileOf(src, 'a', { baseWorkdirs: new Map([['alpine', '']]) });
  expect(diagnostics).toEqual([]);
  expect(dockerfile.split('\n')[0]).toBe('# syntax=docker/dockerfile:1');
  const runs = instructions(dockerfile).filter((l) => l.startsWith('RUN '));
  expect(runs[0]).toBe('RUN --mount=type=secret,id=npmrc,target=/run/secrets/npmrc --mount=type=cache,target=/root/.npm,id=/root/.npm ["/bin/sh","-c","npm ci"]');
  expect(runs[1]).toBe('RUN --mount=type=tmpfs,target=/tmp --mount=type=ssh,id=default ["/bin/sh","-c","git clone x"]');
  expect(runs[2]).toMatch(/^RUN --mount=type=cache,target=\/c,id=shared \["\/bin\/sh","-c",/);
  expect(dockerfileOf('a :- from("alpine"), run("x").\n', 'a').dockerfile).not.toContain('# syntax=');
});

test('a mount value a --mount flag cannot hold is an error', () => {
  const { diagnostics } = dockerfileOf('a :- from("alpine"), run("x")::mount_cache("/a b").\n', 'a');
  expect(diagnostics.map((d) => d.message)).toEqual(['"/a b" cannot be written in a RUN --mount flag (no blanks, commas or quotes)']);
});
