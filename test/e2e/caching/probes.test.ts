// ::cache_probe against real resources on 127.0.0.1, through real dockerd BuildKit: a git
// repository served by `git daemon` (probed with `git ls-remote`) and a file served over http
// whose content changes between builds (probed with busybox wget).
import { describeE2e, dockerRun, makeContext } from '../support';
import { BuildSeries, ChangingFile, FROM_BUSYBOX, FROM_GIT, GIT_SUITE, RUN_ID, ServedRepository, reasonsOf, statusOf } from './support';

describeE2e(
  'caching: probes of a git repository and an http file',
  () => {
    const repository = new ServedRepository(`app-${process.pid}`);
    const file = new ChangingFile();
    const series: BuildSeries[] = [];

    beforeAll(async () => {
      await Promise.all([repository.start(), file.start()]);
    });

    afterAll(async () => {
      repository.stop();
      await file.stop();
      await Promise.all(series.map((s) => s.cleanUp()));
    });

    test('git: a clone reruns exactly when ls-remote HEAD changes, and the image has the new commit', async () => {
      const first = repository.commit(`first ${RUN_ID}\n`);
      const clone = `git clone -q ${repository.url()} /src`;
      const modusfile = [
        'app :-',
        `  ${FROM_GIT},`,
        `  run("echo ${RUN_ID} > /before"),`,
        `  run("${clone}")::cache_probe("git ls-remote ${repository.url()} HEAD").`,
        '',
      ].join('\n');
      const build = new BuildSeries({ context: makeContext(), modusfile, target: 'app', network: 'host' });
      series.push(build);
      const head = (image: string) => dockerRun(image, ['git', '-C', '/src', 'rev-parse', 'HEAD']).then((s) => s.trim());

      const cold = await build.build();
      expect(statusOf(cold, clone)).toBe('run');
      expect(await head(cold.imageId)).toBe(first);
      // The step name shows the answer in short: the first line of ls-remote starts with the commit.
      expect(cold.output).toContain(`[probe "${first.slice(0, 23)}…"`);

      const unchanged = await build.build();
      expect(statusOf(unchanged, clone)).toBe('cached');
      expect(statusOf(unchanged, '::cache_probe(')).toBe('run');
      expect(reasonsOf(unchanged, clone)).toEqual(['reused (CACHED)']);
      expect(reasonsOf(unchanged, '::cache_probe(')).toEqual(['probe: runs fresh every build']);

      const second = repository.commit(`second ${RUN_ID}\n`);
      const moved = await build.build();
      expect(statusOf(moved, clone)).toBe('run');
      expect(statusOf(moved, '/before')).toBe('cached');
      expect(await head(moved.imageId)).toBe(second);
      expect(reasonsOf(moved, clone)).toEqual([
        expect.stringMatching(new RegExp(`^run: probe answer changed \\("${first.slice(0, 23)}…" [0-9a-f]{12} → "${second.slice(0, 23)}…" [0-9a-f]{12}\\)$`)),
      ]);

      const again = await build.build();
      expect(statusOf(again, clone)).toBe('cached');
      expect(await head(again.imageId)).toBe(second);
    });

    test('http: a download reruns when the file changes and is CACHED again when an earlier content comes back', async () => {
      const url = file.url('data.txt');
      const fetch = `wget -q -O /data ${url}`;
      const modusfile = [
        'app :-',
        `  ${FROM_BUSYBOX},`,
        `  run("echo ${RUN_ID} > /sibling"),`,
        `  run("${fetch}")::cache_probe("wget -q -O - ${url}").`,
        '',
      ].join('\n');
      const build = new BuildSeries({ context: makeContext(), modusfile, target: 'app', network: 'host' });
      series.push(build);
      const data = (image: string) => dockerRun(image, ['cat', '/data']);

      file.content = 'one\n';
      const cold = await build.build();
      expect(statusOf(cold, fetch)).toBe('run');
      expect(await data(cold.imageId)).toBe(file.content);
      expect(cold.output).toContain('[probe "one"');

      const unchanged = await build.build();
      expect(statusOf(unchanged, fetch)).toBe('cached');
      expect(statusOf(unchanged, '/sibling')).toBe('cached');

      file.content = 'two\n';
      const changed = await build.build();
      expect(statusOf(changed, fetch)).toBe('run');
      expect(statusOf(changed, '/sibling')).toBe('cached');
      expect(await data(changed.imageId)).toBe(file.content);
      expect(reasonsOf(changed, fetch)).toEqual([expect.stringMatching(/^run: probe answer changed \("one" [0-9a-f]{12} → "two" [0-9a-f]{12}\)$/)]);

      const same = await build.build();
      expect(statusOf(same, fetch)).toBe('cached');

      file.content = 'one\n';
      const back = await build.build();
      expect(statusOf(back, fetch)).toBe('cached');
      expect(await data(back.imageId)).toBe(file.content);
      expect(back.imageId).toBe(cold.imageId);
    });
  },
  GIT_SUITE,
);
