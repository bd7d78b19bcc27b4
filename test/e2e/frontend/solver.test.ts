// Solver features through docker build: facts and rules choosing images, f-strings in goals,
// unification, negation, anonymous variables, lists, on busybox. The frontend builds exactly one
// image per docker build.
import { describeE2e, docker, makeContext } from '../support';
import { FROM_BUSYBOX, FRONTEND_SUITE, buildFails, buildTargets, cat, inspect, removeBuiltImages } from './support';

/** Two tags of the busybox image, standing for two versions of a base. */
const BASE_REPO = `modus-e2e/solver-base-${process.pid}`;
const literalOf = async (image: string) => (await inspect(image)).Config.Labels?.['com.modus-continens.literal'];

describeE2e(
  'frontend: solver features',
  () => {
    beforeAll(async () => {
      for (const tag of ['3.14', '3.15']) await docker(['tag', 'modus-test/busybox:1', `${BASE_REPO}:${tag}`]);
    });
    afterAll(async () => {
      await removeBuiltImages();
      await docker(['image', 'rm', `${BASE_REPO}:3.14`, `${BASE_REPO}:3.15`]);
    });

    test('facts parameterise images; f-strings and builtins in goals select them', async () => {
      const modusfile = [
        'flavour("bbb").',
        'flavour("ccc").',
        `f(x) :- flavour(x), ${FROM_BUSYBOX}, copy("foo.txt", "/tmp/foo.txt"), run(f"echo \${x} >> /tmp/foo.txt").`,
        `base_image("${BASE_REPO}:3.14").`,
        `base_image("${BASE_REPO}:3.15").`,
        'g(ref) :- base_image(ref), from(ref), run(f"echo \\"${ref}\\" > /ref").',
        `one("1") :- ${FROM_BUSYBOX}::set_workdir("/tmp").`,
        '',
      ].join('\n');
      const targets = [
        'f("bbb")',
        'f("ccc")',
        `g(f"${BASE_REPO}:\${version}"), version = "3.14"`,
        `number_gt(version, "3.14"), g(f"${BASE_REPO}:\${version}")`,
        'X = "1", one(X)',
      ];
      const images = await buildTargets(makeContext({ 'foo.txt': 'aaa\n' }), modusfile, targets);
      expect(await cat(images[0]!, '/tmp/foo.txt')).toBe('aaa\nbbb\n');
      expect(await cat(images[1]!, '/tmp/foo.txt')).toBe('aaa\nccc\n');
      expect(await cat(images[2]!, '/ref')).toBe(`${BASE_REPO}:3.14\n`);
      expect(await literalOf(images[3]!)).toBe(`g("${BASE_REPO}:3.15")`);
      expect(await literalOf(images[4]!)).toBe('one("1")');
    });

    test('goals without a solution fail the build', async () => {
      const context = makeContext();
      const modusfile = [
        `one("1") :- ${FROM_BUSYBOX}.`,
        `base_image("${BASE_REPO}:3.14").`,
        'g(ref) :- base_image(ref), from(ref).',
        `h(version) :- version != f"5.\${_}", ${FROM_BUSYBOX}.`,
        '',
      ].join('\n');
      const outputs = await Promise.all(
        ['X = "0", one(X)', `number_gt("3", version), g(f"${BASE_REPO}:\${version}")`, 'h("5.1")'].map((target, i) =>
          buildFails(i === 0 ? { context, modusfile, target } : { context, target }),
        ),
      );
      for (const output of outputs) expect(output).toMatch(/no solution/i);
    });

    test('negation in rules and goals, with anonymous variables', async () => {
      const modusfile = [
        'is_windows(variant) :- variant = f"windows/${suffix}".',
        'is_windows2(variant, suffix) :- variant = f"windows/${suffix}".',
        'app(x) :-',
        '  ( is_windows(x), from("modus-e2e/does-not-exist:never")',
        '  ; !is_windows(x), from(x), run("echo hello-world > /hello")',
        '  ).',
        `candidate("windows/servercore").`,
        `candidate("${BASE_REPO}:3.15").`,
        'my_app(x) :- candidate(x), from(x), run("echo mine > /mine").',
        'nested(x) :- !(t(x), !p(x)), a(x).',
        'a(x) :- from(x).',
        `p("${BASE_REPO}:3.14").`,
        `t("${BASE_REPO}:3.14").`,
        `h(version) :- version != f"5.\${_}", ${FROM_BUSYBOX}.`,
        '',
      ].join('\n');
      const targets = [
        `app("${BASE_REPO}:3.14")`,
        '!is_windows(X), my_app(X)',
        '!is_windows2(X, _), my_app(X)',
        `nested("${BASE_REPO}:3.14")`,
        'h("1.1")',
      ];
      const images = await buildTargets(makeContext(), modusfile, targets);
      expect(await cat(images[0]!, '/hello')).toBe('hello-world\n');
      expect(await literalOf(images[1]!)).toBe(`my_app("${BASE_REPO}:3.15")`);
      expect(await literalOf(images[2]!)).toBe(`my_app("${BASE_REPO}:3.15")`);
      expect(await literalOf(images[3]!)).toBe(`nested("${BASE_REPO}:3.14")`);
      expect(await literalOf(images[4]!)).toBe('h("1.1")');
    });

    test('lists with variables as entrypoint arguments', async () => {
      const modusfile = `app(param) :- ${FROM_BUSYBOX}::set_entrypoint(["sh", "-c", param]).\n`;
      const [image] = await buildTargets(makeContext(), modusfile, ['app("echo from-entrypoint")']);
      expect((await inspect(image!)).Config.Entrypoint).toEqual(['sh', '-c', 'echo from-entrypoint']);
    });

    test('a program that is not stratifiable is rejected', async () => {
      const modusfile = [`foo(x) :- bar(x), ${FROM_BUSYBOX}.`, 'bar(x) :- !foo(x).', ''].join('\n');
      const output = await buildFails({ context: makeContext(), modusfile, target: 'foo("x")' });
      expect(output).toMatch(/Modusfile:\d+:\d+: error: .*stratif/i);
    });
  },
  FRONTEND_SUITE,
);
