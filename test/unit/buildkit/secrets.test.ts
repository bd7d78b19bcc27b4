// A secret's bytes never reach what the frontend produces: the LLB it solves (ops and metadata,
// with the cache-key salts), the content keys it looks up in the cache repository, the image
// configuration it returns, its warnings and its log. The secret file sits in the build context
// too (as `--secret id=npmrc,src=.npmrc` users keep it) and the Modusfile copies the context, so
// the frontend reads and hashes it for the content keys: only digests may come out.
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { bundleForTest, runWithFakeGateway } from '../../support/fake-gateway';

let script: string;
beforeAll(async () => {
  script = await bundleForTest(join(__dirname, '../../../frontend/main.ts'));
}, 60_000);

const BASE = { architecture: 'amd64', os: 'linux', config: { Env: ['PATH=/bin'] }, rootfs: { type: 'layers', diff_ids: [] } };

const MODUSFILE = [
  'deps :-',
  '  from("busybox"),',
  '  copy(".", "/src"),',
  '  run("npm ci")::mount_secret("npmrc", "/root/.npmrc")::mount_cache("/root/.npm")::cache_key("v1").',
  'app :- deps, run("npm test")::mount_secret("npmrc")::mount_ssh, run("npm pack")::mount_secret("npmrc")::mount_cache("/root/.npm")::no_cache.',
  '',
].join('\n');

/** Every form the secret could take in text: as written, base64, hex. */
function forms(secret: Buffer): Buffer[] {
  return [secret, Buffer.from(secret.toString('base64')), Buffer.from(secret.toString('hex')), Buffer.from(secret.toString('base64url'))];
}

test('the secret is in no solved definition, content key, returned config, warning or log line', async () => {
  const secret = Buffer.from(`npm-token-${randomBytes(16).toString('hex')}`);
  const outputs: Buffer[] = [];
  const lookedUp: string[] = [];
  let secretReads = 0;
  const images = new Proxy({} as Record<string, { config: object }>, {
    get: (_, ref) => {
      lookedUp.push(String(ref));
      return ref === 'docker.io/library/busybox:latest' ? { config: BASE } : undefined;
    },
  });
  const result = await runWithFakeGateway({
    script,
    opts: { filename: 'Modusfile', target: 'app', 'build-arg:MODUS_CACHE_REPO': 'reg.example/cache', 'build-arg:MODUS_BUILD_NONCE': 'n1' },
    images,
    onSolve: (request, index) => {
      if (index === 0) return { files: { Modusfile: MODUSFILE } };
      const def = request.Definition;
      outputs.push(...((def?.def ?? []) as Uint8Array[]).map((b) => Buffer.from(b)), Buffer.from(JSON.stringify(def?.metadata ?? {})));
      // The build context, as a client with the secret file in it would send it.
      const files = new Proxy({ '.npmrc': secret, 'package.json': '{}' } as Record<string, string | Buffer>, {
        get: (target, path) => {
          if (path === '.npmrc') secretReads++;
          return target[path as string];
        },
      });
      return { files };
    },
  });
  expect(result.returned?.error).toBeUndefined();
  // The frontend did read the secret file and compute content keys (so the test covers them).
  expect(secretReads).toBeGreaterThan(0);
  const keys = lookedUp.filter((ref) => ref.startsWith('reg.example/cache:'));
  expect(keys.length).toBeGreaterThan(0);
  outputs.push(Buffer.from(JSON.stringify(keys)), Buffer.from(JSON.stringify(result.returned)), Buffer.from(JSON.stringify(result.warnings)), Buffer.from(result.stderr));
  // The secret id and its targets are there; its bytes in no form.
  expect(Buffer.concat(outputs).includes('/root/.npmrc')).toBe(true);
  for (const form of forms(secret)) {
    for (const output of outputs) expect(output.includes(form)).toBe(false);
  }
}, 60_000);
