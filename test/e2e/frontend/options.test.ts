// Frontend options as docker build passes them: the goal (--target / MODUS_GOAL), build args as
// build_arg facts, --label, --network, --platform, MODUS_COST, and both ways of selecting the
// frontend (the # syntax directive and BUILDKIT_SYNTAX).
import { describeE2e, makeContext } from '../support';
import { FROM_BUSYBOX, FRONTEND_SUITE, buildFails, buildOk, buildTargets, cat, inspect, removeBuiltImages } from './support';

describeE2e(
  'frontend: options',
  () => {
    afterAll(removeBuiltImages);

    test('the goal comes from --target, else from MODUS_GOAL; --target wins', async () => {
      const context = makeContext();
      const modusfile = [`app(v) :- ${FROM_BUSYBOX}, run(f"echo \${v} > /v").`, ''].join('\n');
      const [byTarget] = await buildTargets(context, modusfile, ['app("target")']);
      const [byArg, both] = await Promise.all([
        buildOk({ context, buildArgs: { MODUS_GOAL: 'app("arg")' } }),
        buildOk({ context, target: 'app("target")', buildArgs: { MODUS_GOAL: 'app("arg")' } }),
      ]);
      expect(await Promise.all([byTarget, byArg, both].map((image) => cat(image!, '/v')))).toEqual(['target\n', 'arg\n', 'target\n']);
    });

    test('build args are build_arg facts', async () => {
      const modusfile = [
        `app :- build_arg("WHO", who), ${FROM_BUSYBOX}, run(f"echo \${who} > /who").`,
        `dflt :- ${FROM_BUSYBOX}, (build_arg("MODE", m) ; !build_arg("MODE", _), m = "default"), run(f"echo \${m} > /mode").`,
        '',
      ].join('\n');
      const context = makeContext();
      const [app] = await buildTargets(context, modusfile, ['app'], { buildArgs: { WHO: 'tester with spaces' } });
      const [withMode, withoutMode] = await Promise.all([
        buildOk({ context, target: 'dflt', buildArgs: { MODE: 'given' } }),
        buildOk({ context, target: 'dflt' }),
      ]);
      expect(await cat(app!, '/who')).toBe('tester with spaces\n');
      expect(await cat(withMode, '/mode')).toBe('given\n');
      expect(await cat(withoutMode, '/mode')).toBe('default\n');
      const output = await buildFails({ context, target: 'app' });
      expect(output).toMatch(/no solution/);
    });

    test('--label adds labels to the image', async () => {
      const [image] = await buildTargets(makeContext(), `app :- ${FROM_BUSYBOX}::set_label("from.modus", "1").\n`, ['app'], {
        labels: { 'org.example.build': '42', 'org.example.other': 'x y' },
      });
      expect((await inspect(image!)).Config.Labels).toEqual({
        'com.modus-continens.literal': 'app',
        'dev.modus.base-image.inputs': expect.any(String),
        'from.modus': '1',
        'org.example.build': '42',
        'org.example.other': 'x y',
      });
    });

    test('--network none and host reach the steps', async () => {
      const context = makeContext();
      const modusfile = `net(n) :- ${FROM_BUSYBOX}, run(f"echo \${n} > /n; ip -o link | grep -vc ' lo:' > /links || true").\n`;
      const [none] = await buildTargets(context, modusfile, ['net("none")'], { network: 'none' });
      const host = await buildOk({ context, target: 'net("host")', network: 'host' });
      expect(await cat(none!, '/links')).toBe('0\n');
      expect(Number((await cat(host, '/links')).trim())).toBeGreaterThan(0);
    });

    test('--platform: the worker platform builds, another one with a run step is a clear error', async () => {
      const context = makeContext();
      const [image] = await buildTargets(context, `app :- ${FROM_BUSYBOX}, run("uname -m > /m").\n`, ['app'], { platform: 'linux/amd64' });
      expect((await inspect(image!)).Architecture).toBe('amd64');
      // Not linux/s390x: with qemu-user-static registered (the emulated-run tests) every Linux
      // architecture runs here.
      const output = await buildFails({ context, target: 'app', platform: 'windows/amd64' });
      expect(output).toMatch(/platform windows\/amd64 cannot run `run` steps on this builder; it runs linux\/amd64/);
    });

    test('MODUS_COST chooses the proof: fewest layers, smallest height, or clause order', async () => {
      const modusfile = [
        '# first clause: three layers, height 2',
        'app :- tall.',
        `tall :- ${FROM_BUSYBOX}, run("echo first > /which"), run("true"), run("true").`,
        '# second clause: one layer, but deep',
        'app :- deep.',
        'deep :- deeper.',
        `deeper :- ${FROM_BUSYBOX}, run("echo fewest-layers > /which").`,
        '# third clause: two layers, height 1',
        `app :- ${FROM_BUSYBOX}, run("echo smallest-height > /which"), run("true").`,
        '',
      ].join('\n');
      const context = makeContext();
      const [byDefault] = await buildTargets(context, modusfile, ['app']);
      const [layers, height, first] = await Promise.all(
        ['layers', 'height', 'first'].map((cost) => buildOk({ context, target: 'app', buildArgs: { MODUS_COST: cost } })),
      );
      const which = await Promise.all([byDefault, layers, height, first].map((image) => cat(image!, '/which')));
      expect(which).toEqual(['fewest-layers\n', 'fewest-layers\n', 'smallest-height\n', 'first\n']);
      const output = await buildFails({ context, target: 'app', buildArgs: { MODUS_COST: 'cheapest' } });
      expect(output).toMatch(/invalid MODUS_COST `cheapest`: expected one of layers, height, first, available/);
    });

    test('MODUS_COST=available avoids a base image that cannot be resolved', async () => {
      const modusfile = [
        'app :- from("modus-e2e/not-available:1"), run("echo missing > /which").',
        `app :- ${FROM_BUSYBOX}, run("echo available > /which"), run("true").`,
        '',
      ].join('\n');
      const [image] = await buildTargets(makeContext(), modusfile, ['app'], { buildArgs: { MODUS_COST: 'available' } });
      expect(await cat(image!, '/which')).toBe('available\n');
    });

    test('a goal with several solutions is an error that lists them', async () => {
      const modusfile = ['v("1").', 'v("2").', `app(x) :- v(x), ${FROM_BUSYBOX}.`, ''].join('\n');
      const output = await buildFails({ context: makeContext(), modusfile, target: 'app(X)' });
      expect(output).toContain('goal `app(X)` has 2 solutions');
      expect(output).toMatch(/app\("1"\)\n\s*app\("2"\)/);
      expect(output).toContain('modus build');
    });

    test('no goal: an error listing the image predicates', async () => {
      const modusfile = ['v("1").', `app(x) :- v(x), ${FROM_BUSYBOX}.`, `base :- ${FROM_BUSYBOX}.`, ''].join('\n');
      const output = await buildFails({ context: makeContext(), modusfile });
      expect(output).toMatch(/no goal given: pass --target 'GOAL' .*MODUS_GOAL/);
      expect(output).toContain('app/1, base/0');
    });

    test('the # syntax directive selects the frontend like BUILDKIT_SYNTAX does', async () => {
      const context = makeContext();
      const modusfile = `app :- ${FROM_BUSYBOX}, run("echo via-directive > /how").\n`;
      const image = await buildOk({ context, modusfile, target: 'app', syntax: 'directive' });
      expect(await cat(image, '/how')).toBe('via-directive\n');
      // The directive is line 1, so the program's positions start on line 2.
      const output = await buildFails({ context, modusfile: 'app :- from("x")\n', target: 'app', syntax: 'directive' });
      expect(output).toMatch(/Modusfile:2:\d+: error: expected/);
    });
  },
  FRONTEND_SUITE,
);
