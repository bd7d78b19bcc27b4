// ::no_cache, ::cache_key, ::cache_ttl (fixed clock), composition, the probe's run context,
// --no-cache and the no-cache filter, and a moved base-image tag, through real dockerd BuildKit,
// each with the explanation `modus build --explain-cache` gives.
import { docker, dockerChecked, dockerRun, makeContext, testImageName, BUSYBOX_IMAGE } from '../support';
import { BuildSeries, CACHING_SUITE, ChangingFile, FROM_BUSYBOX, RUN_ID, reasonsOf, statusOf } from './support';
import { describeE2e } from '../support';

describeE2e(
  'caching: no_cache, cache_key, cache_ttl, no-cache filters, moved base tags',
  () => {
    const series: BuildSeries[] = [];
    const movable = testImageName('movable-base');
    const file = new ChangingFile();

    function buildSeries(modusfile: string, extra: { network?: 'host' } = {}): BuildSeries {
      const build = new BuildSeries({ context: makeContext(), modusfile, target: 'app', ...extra });
      series.push(build);
      return build;
    }

    beforeAll(() => file.start());

    afterAll(async () => {
      await file.stop();
      await Promise.all(series.map((s) => s.cleanUp()));
      await docker(['image', 'rm', '--force', movable]);
    });

    test('no_cache: the step runs every build, the steps before it stay CACHED', async () => {
      const stamp = `echo ${RUN_ID}; head -c 16 /dev/urandom | od -An -tx1 > /stamp`;
      const modusfile = ['app :-', `  ${FROM_BUSYBOX},`, `  run("echo ${RUN_ID} > /sibling"),`, `  run("${stamp}")::no_cache.`, ''].join('\n');
      const build = buildSeries(modusfile);
      const first = await build.build();
      const second = await build.build();
      expect(statusOf(second, '/sibling')).toBe('cached');
      expect(statusOf(second, stamp)).toBe('run');
      expect(second.output).toContain('[no-cache]');
      expect(reasonsOf(second, stamp)).toEqual(['run: no-cache']);
      expect(reasonsOf(second, '/sibling')).toEqual(['reused (CACHED)']);
      const stampOf = (image: string) => dockerRun(image, ['cat', '/stamp']);
      expect(await stampOf(second.imageId)).not.toBe(await stampOf(first.imageId));
    });

    test('cache_key: a new value from a build arg reruns only the keyed steps', async () => {
      const keyed = `echo ${RUN_ID} > /keyed`;
      const modusfile = [
        'app :-',
        '  build_arg("VERSION", V),',
        `  ${FROM_BUSYBOX},`,
        `  run("echo ${RUN_ID} > /sibling"),`,
        `  run("${keyed}")::cache_key(V).`,
        '',
      ].join('\n');
      const build = buildSeries(modusfile);
      const first = await build.build({ buildArgs: { VERSION: 'v1' } });
      expect(statusOf(first, keyed)).toBe('run');
      expect(first.output).toContain('[key v1]');
      const same = await build.build({ buildArgs: { VERSION: 'v1' } });
      expect(statusOf(same, keyed)).toBe('cached');
      const bumped = await build.build({ buildArgs: { VERSION: 'v2' } });
      expect(statusOf(bumped, keyed)).toBe('run');
      expect(statusOf(bumped, '/sibling')).toBe('cached');
      expect(reasonsOf(bumped, keyed)).toEqual(['run: cache key changed (v1 → v2)']);
      const back = await build.build({ buildArgs: { VERSION: 'v1' } });
      expect(statusOf(back, keyed)).toBe('cached');
    });

    test('cache_ttl with a fixed clock: same bucket CACHED, next bucket runs', async () => {
      const refreshed = `echo ${RUN_ID} > /refreshed`;
      const modusfile = ['app :-', `  ${FROM_BUSYBOX},`, `  run("echo ${RUN_ID} > /sibling"),`, `  run("${refreshed}")::cache_ttl("1h").`, ''].join('\n');
      const build = buildSeries(modusfile);
      const hour = 3600;
      const at = (seconds: number) => build.build({ buildArgs: { MODUS_CLOCK: String(seconds) } });
      const first = await at(480_000 * hour + 10);
      expect(statusOf(first, refreshed)).toBe('run');
      expect(first.output).toContain('[ttl 1h #480000]');
      const later = await at(480_000 * hour + 3000);
      expect(statusOf(later, refreshed)).toBe('cached');
      const nextHour = await at(480_001 * hour + 5);
      expect(statusOf(nextHour, refreshed)).toBe('run');
      expect(statusOf(nextHour, '/sibling')).toBe('cached');
      expect(reasonsOf(nextHour, refreshed)).toEqual(['run: TTL bucket changed (1h #480000 → #480001)']);
    });

    test('a probe inside a TTL: either a new answer or a new bucket reruns the step', async () => {
      const url = file.url(`composed-${process.pid}`);
      const fetch = `wget -q -O /data ${url}`;
      const modusfile = ['app :-', `  ${FROM_BUSYBOX},`, `  (run("${fetch}")::cache_probe("wget -q -O - ${url}"))::cache_ttl("1d").`, ''].join('\n');
      const build = buildSeries(modusfile, { network: 'host' });
      const day = 86400;
      const at = (seconds: number) => build.build({ buildArgs: { MODUS_CLOCK: String(seconds) }, network: 'host' });
      file.content = 'alpha\n';
      expect(statusOf(await at(20_000 * day), fetch)).toBe('run');
      expect(statusOf(await at(20_000 * day + 60), fetch)).toBe('cached');
      file.content = 'beta\n';
      const answered = await at(20_000 * day + 120);
      expect(statusOf(answered, fetch)).toBe('run');
      expect(reasonsOf(answered, fetch)).toEqual([expect.stringMatching(/^run: probe answer changed \("alpha" [0-9a-f]{12} → "beta" [0-9a-f]{12}\)$/)]);
      const nextDay = await at(20_001 * day);
      expect(statusOf(nextDay, fetch)).toBe('run');
      expect(reasonsOf(nextDay, fetch)).toEqual(['run: TTL bucket changed (1d #20000 → #20001)']);
    });

    test("a probe runs with the env and working directory of its operand's first step", async () => {
      const modusfile = [
        'app :-',
        `  ${FROM_BUSYBOX},`,
        `  ((run("echo ${RUN_ID} > probed"))::in_env("PROBED", "from-in-env"))::in_workdir("/srv")`,
        '    ::cache_probe("echo $PROBED $(pwd)").',
        '',
      ].join('\n');
      const first = await buildSeries(modusfile).build();
      expect(first.output).toContain('[probe "from-in-env /srv"');
    });

    test('--no-cache reruns every step; the no-cache filter reruns only the steps of that predicate', async () => {
      const one = `echo ${RUN_ID} > /one`;
      const two = `echo ${RUN_ID} > /two`;
      const modusfile = ['app :-', `  ${FROM_BUSYBOX},`, `  run("${one}"),`, '  second_step.', `second_step :- run("${two}").`, ''].join('\n');
      const build = buildSeries(modusfile);
      await build.build();
      const cached = await build.build();
      expect([statusOf(cached, one), statusOf(cached, two)]).toEqual(['cached', 'cached']);

      const filtered = await build.build({ buildArgs: { MODUS_NO_CACHE_FILTER: 'second_step' } });
      expect(statusOf(filtered, one)).toBe('cached');
      expect(statusOf(filtered, two)).toBe('run');
      expect(reasonsOf(filtered, two)).toEqual(['run: no-cache']);

      const everything = await build.build({ noCache: true });
      expect([statusOf(everything, one), statusOf(everything, two)]).toEqual(['run', 'run']);
      expect(reasonsOf(everything, one)).toEqual(['run: no-cache']);
    });

    test('a moved base-image tag is a changed key', async () => {
      await dockerChecked(['tag', BUSYBOX_IMAGE, movable]);
      const step = `echo ${RUN_ID} > /on-base`;
      const modusfile = ['app :-', `  from("${movable}"),`, `  run("${step}").`, ''].join('\n');
      const build = buildSeries(modusfile);
      await build.build();
      expect(statusOf(await build.build(), step)).toBe('cached');

      // Move the tag to another image: the busybox image plus one file, built by Docker's own frontend.
      const moved = makeContext({ Dockerfile: `FROM ${BUSYBOX_IMAGE}\nRUN echo ${RUN_ID} > /moved\n` });
      await dockerChecked(['build', '--network=none', '-t', movable, moved]);
      const rebuilt = await build.build();
      expect(statusOf(rebuilt, step)).toBe('run');
      expect(reasonsOf(rebuilt, step)).toEqual(['run: an input changed (an earlier step, a copied file or the base image)']);
      expect((await dockerRun(rebuilt.imageId, ['cat', '/moved'])).trim()).toBe(RUN_ID);
    });
  },
  CACHING_SUITE,
);
