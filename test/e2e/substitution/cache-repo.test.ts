// Substitution from a cache repository (MODUS_CACHE_REPO) on one daemon with the local registry:
// a stored sub-image is taken from the repository (its steps do not run); a changed copied file
// gives a new key, so it is built again.
import * as fs from 'fs';
import * as path from 'path';
import { randomBytes } from 'crypto';
import { BUSYBOX_IMAGE, describeE2e, dockerChecked, makeContext } from '../support';
import { FRONTEND_SUITE, buildWithOutput, cat, removeBuiltImages } from '../frontend/support';

const REPO = `${process.env.MODUS_TEST_REGISTRY || 'localhost:5000'}/modus-e2e/cache-${randomBytes(4).toString('hex')}`;
const MODUSFILE = [
  `base :- from("${BUSYBOX_IMAGE}"), run("echo heavy > /heavy"), copy("data.txt", "/data.txt").`,
  'app :- base, run("cat /heavy /data.txt > /app").',
  '',
].join('\n');

function keyOf(output: string, literal: string): string {
  const match = new RegExp(`building ${literal} \\(${REPO.replace(/[./]/g, '\\$&')}:(mk1-[0-9a-f]{64}) not found`).exec(output);
  if (!match) throw new Error(`no key for ${literal} in:\n${output}`);
  return match[1]!;
}

describeE2e(
  'image caching: substitution from a cache repository',
  () => {
    afterAll(removeBuiltImages);

    test('a stored sub-image is substituted; a changed context file means a rebuild', async () => {
      const context = makeContext();
      fs.writeFileSync(path.join(context, 'data.txt'), 'hello\n');
      const buildArgs = { MODUS_CACHE_REPO: REPO };
      const base = await buildWithOutput({ context, modusfile: MODUSFILE, target: 'base', buildArgs });
      const key = keyOf(base.output, 'base');
      await dockerChecked(['tag', base.imageId, `${REPO}:${key}`]);
      await dockerChecked(['push', `${REPO}:${key}`]);
      await dockerChecked(['rmi', `${REPO}:${key}`]);
      const app = await buildWithOutput({ context, target: 'app', buildArgs });
      expect(app.output).toContain(`[modus] substitute base from ${REPO}:${key}`);
      expect(app.output).not.toMatch(/base › run\("echo heavy/);
      expect(await cat(app.imageId, '/app')).toBe('heavy\nhello\n');
      fs.writeFileSync(path.join(context, 'data.txt'), 'changed\n');
      const changed = await buildWithOutput({ context, target: 'app', buildArgs });
      expect(changed.output).not.toContain('[modus] substitute base');
      expect(keyOf(changed.output, 'base')).not.toBe(key);
      expect(await cat(changed.imageId, '/app')).toBe('heavy\nchanged\n');
    });
  },
  FRONTEND_SUITE,
);
