// Caching and determinism: the same build twice reuses every step; shared sub-images are built
// once; --no-cache and ::no_cache run steps again.
import { randomBytes } from 'node:crypto';
import { describeE2e, makeContext } from '../support';
import { FROM_BUSYBOX, FRONTEND_SUITE, buildTargets, buildWithOutput, cat, catAll, removeBuiltImages } from './support';

interface Step {
  name: string;
  status: 'CACHED' | 'DONE' | 'ERROR' | 'CANCELED' | undefined;
}

/** The steps of a plain progress output that come from the Modusfile (named `... Modusfile:L:C`). */
function modusSteps(output: string): Step[] {
  const names = new Map<string, string>();
  const status = new Map<string, Step['status']>();
  for (const match of output.matchAll(/^#(\d+) (.*)$/gm)) {
    const [, id, rest] = match as unknown as [string, string, string];
    if (!names.has(id)) names.set(id, rest);
    else if (/^(CACHED|DONE|ERROR|CANCELED)\b/.test(rest)) status.set(id, rest.split(' ')[0] as Step['status']);
  }
  return [...names].filter(([, name]) => / Modusfile:\d+:\d+( \[no-cache\])?$/.test(name)).map(([id, name]) => ({ name, status: status.get(id) }));
}

describeE2e(
  'frontend: caching and determinism',
  () => {
    afterAll(removeBuiltImages);

    test('the same build twice: the second run shows every step CACHED and gives the same image', async () => {
      const nonce = randomBytes(8).toString('hex');
      const modusfile = [
        `helper :- ${FROM_BUSYBOX}::set_workdir("/srv"), run("echo ${nonce} > made && mkdir -p d && echo x > d/x").`,
        'app :-',
        `  (${FROM_BUSYBOX}::set_env("B", "2")::set_env("A", "1"),`,
        '   copy("file", "/ctx/file"),',
        '   helper::copy("made", "/made"),',
        '   (run("echo merged > /m"), helper::copy("d", "/d"))::merge,',
        '   (helper::copy("made", "/only-copies"), copy("file", "/f2"))::merge,',
        '   run("cat /made /ctx/file > /all")::in_workdir("/tmp")::in_env("X", "y")',
        '  )::set_label("k", "v")::set_entrypoint(["/bin/sh"]).',
        '',
      ].join('\n');
      const context = makeContext({ file: 'content\n' });
      const first = await buildWithOutput({ context, modusfile, target: 'app' });
      const second = await buildWithOutput({ context, target: 'app' });
      // Base image sources are left out: BuildKit may show them DONE (it resolves them again to
      // compute the cache key, no build work), or under the name a concurrent build gave them.
      const buildSteps = (output: string) => modusSteps(output).filter((s) => !/ › from\(/.test(s.name));
      const firstSteps = buildSteps(first.output);
      expect(firstSteps.filter((s) => s.status === 'DONE').length).toBeGreaterThan(3);
      const secondSteps = buildSteps(second.output);
      // BuildKit reports cached steps in no particular order.
      expect(secondSteps.map((s) => s.name).sort()).toEqual(firstSteps.map((s) => s.name).sort());
      expect(secondSteps.length).toBeGreaterThanOrEqual(6);
      expect(secondSteps.filter((s) => s.status !== 'CACHED')).toEqual([]);
      expect(second.imageId).toBe(first.imageId);
      expect(await cat(first.imageId, '/all')).toBe(`${nonce}\ncontent\n`);
    });

    test('a sub-image used in several places and by several images is built once', async () => {
      const nonce = randomBytes(8).toString('hex');
      const modusfile = [
        `shared :- ${FROM_BUSYBOX}, run("echo ${nonce} > /n && head -c 16 /dev/urandom | od -An -tx1 > /rand").`,
        'b("0") :- shared, run("echo zero > /which").',
        'b("1") :- shared, run("echo one > /which").',
        `both :- ${FROM_BUSYBOX}, b("0")::copy("/rand", "/r0"), b("1")::copy("/rand", "/r1"), shared::copy("/rand", "/r2").`,
        '',
      ].join('\n');
      const context = makeContext();
      const both = await buildWithOutput({ context, modusfile, target: 'both' });
      const sharedSteps = modusSteps(both.output).filter((s) => s.name.startsWith('shared › run('));
      expect(sharedSteps).toHaveLength(1);
      const [zero, one] = await buildTargets(context, modusfile, ['b("0")', 'b("1")']);
      const rands = await Promise.all([catAll(both.imageId, '/r0', '/r1', '/r2'), cat(zero!, '/rand'), cat(one!, '/rand')]);
      const rand = rands[1]!;
      expect(rand).toMatch(/[0-9a-f]{2}/);
      expect(rands).toEqual([rand + rand + rand, rand, rand]);
    });

    test('--no-cache runs every step again; ::no_cache runs its steps again', async () => {
      const modusfile = [
        `app :- ${FROM_BUSYBOX}, run("head -c 8 /dev/urandom | od -An -tx1 > /cached"), run("head -c 8 /dev/urandom | od -An -tx1 > /fresh")::no_cache.`,
        '',
      ].join('\n');
      const context = makeContext();
      const first = await buildWithOutput({ context, modusfile, target: 'app' });
      const second = await buildWithOutput({ context, target: 'app' });
      const third = await buildWithOutput({ context, target: 'app', noCache: true });
      const read = (image: string) => catAll(image, '/cached', '/fresh');
      const [a, b, c] = (await Promise.all([read(first.imageId), read(second.imageId), read(third.imageId)])).map((s) => s.split('\n'));
      expect(b![0]).toBe(a![0]);
      expect(b![1]).not.toBe(a![1]);
      expect(c![0]).not.toBe(b![0]);
      const statusOf = (output: string) => Object.fromEntries(modusSteps(output).map((s) => [s.name.replace(/ Modusfile:.*/, ''), s.status]));
      const cached = 'app › run("head -c 8 /dev/urandom | od -An -tx1 > /cached")';
      const fresh = 'app › run("head -c 8 /dev/urandom | od -An -tx1 > /fresh")';
      expect(statusOf(second.output)).toMatchObject({ [cached]: 'CACHED', [fresh]: 'DONE' });
      expect(statusOf(third.output)).toMatchObject({ [cached]: 'DONE', [fresh]: 'DONE' });
    });

    test('MODUS_NO_CACHE_FILTER runs the steps of the named predicates again, and only those', async () => {
      const modusfile = [
        `helper :- ${FROM_BUSYBOX}, run("head -c 8 /dev/urandom | od -An -tx1 > /helper").`,
        'app :- helper, run("head -c 8 /dev/urandom | od -An -tx1 > /app").',
        `other :- ${FROM_BUSYBOX}, run("head -c 8 /dev/urandom | od -An -tx1 > /other").`,
        `both :- ${FROM_BUSYBOX}, app::copy("/", "/a"), other::copy("/other", "/o").`,
        '',
      ].join('\n');
      const context = makeContext();
      const first = await buildWithOutput({ context, modusfile, target: 'both' });
      const again = await buildWithOutput({ context, target: 'both', buildArgs: { MODUS_NO_CACHE_FILTER: 'helper' } });
      const read = (image: string) => catAll(image, '/a/helper', '/a/app', '/o');
      const [before, after] = (await Promise.all([read(first.imageId), read(again.imageId)])).map((s) => s.split('\n'));
      expect(after![0]).not.toBe(before![0]);
      // BuildKit re-runs what depends on an ignored step too: app's run follows helper's.
      expect(after![1]).not.toBe(before![1]);
      expect(after![2]).toBe(before![2]);
    });
  },
  FRONTEND_SUITE,
);
