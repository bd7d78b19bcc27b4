// A step with random output reached from several images runs once, so every
// image sees the same bytes — across the separate builds `modus build` runs at once. A nonce per
// test keeps earlier runs' cache out of it.
import { BUSYBOX_IMAGE, FRONTEND_IMAGE, ON_CURRENT_DOCKER, describeE2e, dockerRun, makeContext, removeImages } from '../support';
import { buildImages, nonce, type BuiltImage } from './cli';

const BB = BUSYBOX_IMAGE;
const RANDOM = 'head -c 32 /dev/urandom | od -x';

describeE2e(
  'modus build: shared steps run once',
  () => {
    const created: string[] = [];
    afterAll(() => removeImages(...created));

    async function build(modusfile: string, goal: string): Promise<Map<string, BuiltImage>> {
      const images = await buildImages(makeContext({ Modusfile: modusfile }), goal);
      created.push(...[...images.values()].map((i) => i.image_id!));
      return images;
    }

    const cat = (image: BuiltImage, file: string) => dockerRun(image.image_id!, ['cat', file]);

    test('a shared run step: the same random bytes in both images', async () => {
      const images = await build(`a :- from("${BB}"), run("echo ${nonce()}; ${RANDOM} > /tmp/file").\nb("0") :- a.\nb("1") :- a.\n`, 'b(X)');
      expect(images.size).toBe(2);
      const [zero, one] = [await cat(images.get('b("0")')!, '/tmp/file'), await cat(images.get('b("1")')!, '/tmp/file')];
      expect(zero.length).toBeGreaterThan(10);
      expect(one).toBe(zero);
    });

    test('a sub-image ::copy-ed into four images is built once', async () => {
      const src = [
        `other_image :- from("${BB}"), run("echo ${nonce()}; head -c 100 /dev/urandom > /tmp/rand").`,
        `final(X, Y) :- x(X), y(Y), from("${BB}"), run(f"echo \${X}\${Y} > /id"), other_image::copy("/tmp/rand", "/tmp/rand").`,
        'x("a"). x("b"). y("1"). y("2").',
      ].join('\n');
      const images = await build(src + '\n', 'final(X, Y)');
      expect(images.size).toBe(4);
      const sums = await Promise.all([...images.values()].map((i) => dockerRun(i.image_id!, ['md5sum', '/tmp/rand'])));
      expect(new Set(sums).size).toBe(1);
    });

    test('a shared ::merge: the same random bytes in both images', async () => {
      const src = `a :- from("${BB}"), (run("echo ${nonce()}"), run("${RANDOM} > /tmp/file"))::merge.\nb("0") :- a.\nb("1") :- a.\n`;
      const images = await build(src, 'b(X)');
      expect(await cat(images.get('b("1")')!, '/tmp/file')).toBe(await cat(images.get('b("0")')!, '/tmp/file'));
    });

    test('a shared ::merge with a ::copy inside: the same bytes, and the copied file', async () => {
      const src = [
        `a :- from("${BB}"), (`,
        `  run("echo ${nonce()}; ${RANDOM} > /tmp/file"),`,
        `  (from("${BB}"), run("echo aaaa > /tmp/aaa"))::copy("/tmp/aaa", "/tmp/aaa")`,
        ')::merge.',
        'b("0") :- a.',
        'b("1") :- a.',
      ].join('\n');
      const images = await build(src + '\n', 'b(X)');
      const [zero, one] = [images.get('b("0")')!, images.get('b("1")')!];
      expect(await cat(one, '/tmp/file')).toBe(await cat(zero, '/tmp/file'));
      expect(await cat(zero, '/tmp/aaa')).toBe('aaaa\n');
      expect(await cat(one, '/tmp/aaa')).toBe('aaaa\n');
    });

    test('the same steps with and without ::merge: the shared image is built once, each image its own random file', async () => {
      const src = [
        `image("merge") :- from("${BB}")::set_workdir("/tmp"), inner::merge.`,
        `image("no merge") :- from("${BB}")::set_workdir("/tmp"), inner.`,
        'inner :-',
        '  run("head -c 1000000 /dev/urandom > file"), run("sha1sum file > file.sha1"), run("rm file"),',
        '  other_image::copy("file", "file2"), run("sha1sum file2 > file2.sha1"), run("rm file2").',
        `other_image :- from("${BB}")::set_workdir("/"), run("echo ${nonce()}; head -c 1000000 /dev/urandom > file").`,
      ].join('\n');
      const images = await build(src + '\n', 'image(X)');
      const [merged, plain] = [images.get('image("merge")')!, images.get('image("no merge")')!];
      const hash = (s: string) => s.split(' ')[0];
      expect(hash(await cat(merged, '/tmp/file2.sha1'))).toBe(hash(await cat(plain, '/tmp/file2.sha1')));
      // 20.10 runs a ::merge as one script step of its own. With MergeOp (current Docker) its runs
      // are the same vertices as outside the merge, so BuildKit runs them once for both images
      // (docs/compatibility.md).
      const sameRandomFile = hash(await cat(merged, '/tmp/file.sha1')) === hash(await cat(plain, '/tmp/file.sha1'));
      expect(sameRandomFile).toBe(ON_CURRENT_DOCKER);
    });

    async function twoBuilds(modusfile: string, extra: string[]): Promise<string[][]> {
      const context = makeContext({ Modusfile: modusfile });
      const runs: string[][] = [];
      for (let i = 0; i < 2; i++) {
        const images = await buildImages(context, 'b(X)', extra);
        created.push(...[...images.values()].map((image) => image.image_id!));
        runs.push(await Promise.all(['b("0")', 'b("1")', 'b("2")'].map((literal) => cat(images.get(literal)!, '/tmp/file'))));
      }
      return runs;
    }

    test('--no-cache: the shared step runs again, once, and every image gets its new bytes', async () => {
      const runs = await twoBuilds(`a :- from("${BB}"), run("${RANDOM} > /tmp/file").\nb("0") :- a.\nb("1") :- a.\nb("2") :- a.\n`, ['--no-cache']);
      for (const files of runs) expect(new Set(files).size).toBe(1);
      expect(runs[1]![0]).not.toBe(runs[0]![0]);
    });

    test('a shared ::no_cache step runs once per modus build, with the same bytes in every image', async () => {
      const runs = await twoBuilds(`a :- from("${BB}"), run("${RANDOM} > /tmp/file")::no_cache.\nb("0") :- a.\nb("1") :- a.\nb("2") :- a.\n`, []);
      for (const files of runs) expect(new Set(files).size).toBe(1);
      expect(runs[1]![0]).not.toBe(runs[0]![0]);
    });

    test('a shared ::no_cache step with a cache mount runs once per modus build and sees the cache of the run before', async () => {
      const step = `run("echo x >> /c/log && wc -l < /c/log > /tmp/file")::mount_cache("/c", "modus-e2e-${nonce()}")::no_cache`;
      const runs = await twoBuilds(`a :- from("${BB}"), ${step}.\nb("0") :- a.\nb("1") :- a.\nb("2") :- a.\n`, []);
      expect(runs.map((files) => files.map((f) => f.trim()))).toEqual([
        ['1', '1', '1'],
        ['2', '2', '2'],
      ]);
    });
  },
  { images: [FRONTEND_IMAGE, BUSYBOX_IMAGE] },
);
