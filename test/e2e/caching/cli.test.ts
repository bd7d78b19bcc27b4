// `modus build --explain-cache` and `--no-cache-filter` through real dockerd BuildKit.
import * as fs from 'fs';
import * as path from 'path';
import { buildCommand } from '../../../frontend/cli/commands/build';
import type { CliIO } from '../../../frontend/cli/io';
import { DOCKER, FRONTEND_IMAGE, describeE2e, makeContext, makeTempDirectory } from '../support';
import { CACHING_SUITE, FROM_BUSYBOX, RUN_ID } from './support';

describeE2e(
  'caching: modus build --explain-cache and --no-cache-filter',
  () => {
    const env = { ...process.env, MODUS_CACHE_DIR: makeTempDirectory('modus-e2e-explain-') };

    async function modusBuild(context: string, ...options: string[]): Promise<string> {
      let stderr = '';
      const io: CliIO = { stdout: () => undefined, stderr: (t) => void (stderr += t), env, cwd: context, isTTY: false };
      const code = await buildCommand.run(['--frontend', FRONTEND_IMAGE, '--docker', DOCKER, '--network', 'none', ...options, context, 'app'], io);
      if (code !== 0) throw new Error(`modus build exited with ${code}:\n${stderr}`);
      return stderr;
    }

    test('the second build explains a changed key, and the filter reruns only its predicate', async () => {
      const modusfile = (key: string) =>
        ['app :-', `  ${FROM_BUSYBOX},`, `  run("echo ${RUN_ID} > /one"),`, '  second.', `second :- run("echo ${RUN_ID} > /two")::cache_key("${key}").`, ''].join('\n');
      const context = makeContext({ Modusfile: modusfile('k1') });
      expect(await modusBuild(context, '--explain-cache')).toContain('run: no previous build to compare with');

      fs.writeFileSync(path.join(context, 'Modusfile'), modusfile('k2'));
      const changed = await modusBuild(context, '--explain-cache');
      expect(changed).toMatch(/run\("echo [^"]+ > \/one"\) Modusfile:3:3\n +reused \(CACHED\)/);
      expect(changed).toMatch(/run\("echo [^"]+ > \/two"\) Modusfile:5:11\n +run: cache key changed \(k1 → k2\)/);

      const filtered = await modusBuild(context, '--explain-cache', '--no-cache-filter', 'second');
      expect(filtered).toMatch(/\/one"\) Modusfile:3:3\n +reused \(CACHED\)/);
      expect(filtered).toMatch(/\/two"\) Modusfile:5:11\n +run: no-cache/);
    });
  },
  CACHING_SUITE,
);
