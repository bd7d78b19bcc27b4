// Subrequests through buildx: --call=targets/outline (text and json), --check, an unknown --call.
// On both daemons: Docker 20.10's own client has no --call, so there a buildx client drives it
// (BUILDX_CLIENT), and its BuildKit v0.8 answers through the frontend like the current one.
import { FRONTEND_IMAGE, buildx, describeE2e, makeContext } from '../support';

const MODUSFILE = [
  '# The application image, for a mode.',
  'app(mode) :-',
  '  from("modus-test/busybox:1"),',
  '  # Who is greeted',
  '  build_arg("WHO", Who),',
  '  run(f"echo ${Who} ${mode}").',
  '',
  'tool(X) :- from("modus-test/busybox:1").',
  '',
].join('\n');

function call(context: string, args: string[]) {
  return buildx(['build', '-f', `${context}/Modusfile`, '--build-arg', `BUILDKIT_SYNTAX=${FRONTEND_IMAGE}`, ...args, context]);
}

describeE2e('subrequests (--call, --check)', () => {
  const context = makeContext({ Modusfile: MODUSFILE });

  test('--call=targets lists the image predicates with their descriptions', async () => {
    const text = await call(context, ['--call=targets']);
    expect(text.code).toBe(0);
    expect(text.stdout).toBe('TARGET    DESCRIPTION\napp(mode) The application image, for a mode.\ntool(X)   \n');
    const json = await call(context, ['--call=targets,format=json']);
    expect(JSON.parse(json.stdout).targets.map((t: { name: string }) => t.name)).toEqual(['app(mode)', 'tool(X)']);
  });

  test('--call=outline shows the build args of the target with the values given', async () => {
    const r = await call(context, ['--call=outline', '--target', 'app("x")', '--build-arg', 'WHO=me']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('TARGET:      app(mode)');
    expect(r.stdout).toMatch(/WHO\s+me\s+Who is greeted/);
  });

  test('--check reports the lint findings with rule and snippet, exit 1', async () => {
    const r = await call(context, ['--check']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('Check complete, 1 warning has been found!');
    expect(r.stdout).toContain('WARNING: SingletonVariable - docs/lint.md#singletonvariable');
    expect(r.stdout).toMatch(/>>> tool\(X\) :- from/);
  });

  test('--call=unknown is an error naming the request', async () => {
    const r = await call(context, ['--call=unknown']);
    expect(r.code).not.toBe(0);
    expect(r.output).toContain('unsupported request frontend.unknown');
    expect(r.output).not.toMatch(/at .*\.js:\d+/);
  });
}, { images: [FRONTEND_IMAGE] });
