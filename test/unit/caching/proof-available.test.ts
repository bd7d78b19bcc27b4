/** `modus proof --cost available`: images looked up (local store, registry HTTP API) and the proof chosen. */
import * as fs from 'fs';
import * as http from 'http';
import type { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';
import { proofCommand } from '../../../frontend/cli/commands/proof';
import type { CliIO } from '../../../frontend/cli/io';

let server: http.Server;
let registry = '';
const requests: { method: string; url: string; accept: string }[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    requests.push({ method: req.method ?? '', url: req.url ?? '', accept: String(req.headers.accept ?? '') });
    if (req.url === '/v2/team/base/manifests/1') {
      res.writeHead(200, { 'Docker-Content-Digest': 'sha256:abc' });
    } else res.writeHead(404);
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  registry = `127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function proof(modusfile: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'modus-proof-available-'));
  fs.writeFileSync(path.join(dir, 'Modusfile'), modusfile);
  let stdout = '';
  let stderr = '';
  // `false` as the docker client: nothing is in the local image store.
  const io: CliIO = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), env: { MODUS_DOCKER: '/bin/false' }, cwd: dir, isTTY: false };
  const code = await proofCommand.run([...args, dir, 'app'], io);
  fs.rmSync(dir, { recursive: true, force: true });
  return { code, stdout, stderr };
}

function program(image: string): string {
  return [
    'base :- from("modus-test/busybox:1"), run("echo 1 > /a").',
    `base :- from("${image}").`,
    'app :- base, run("echo app > /app").',
    '',
  ].join('\n');
}

test('an image in the registry is found, and its rule is the proof', async () => {
  const { code, stdout, stderr } = await proof(program(`${registry}/team/base:1`), ['--cost', 'available', '--compact']);
  expect(code).toBe(0);
  expect(stdout).toContain(`from("${registry}/team/base:1")`);
  expect(stderr).toContain(`found    ${registry}/team/base:1 (sha256:abc)`);
  expect(stderr).toContain('missing  modus-test/busybox:1: not in the local image store (Docker Hub is not queried)');
  const asked = requests.find((r) => r.url === '/v2/team/base/manifests/1');
  expect(asked?.method).toBe('HEAD');
  expect(asked?.accept).toContain('application/vnd.docker.distribution.manifest.v2+json');
});

test('an image missing everywhere leaves no proof when it is the only way', async () => {
  const { code, stderr } = await proof(program(`${registry}/team/other:1`), ['--cost', 'available']);
  expect(code).toBe(1);
  expect(stderr).toContain(`missing  ${registry}/team/other:1: not found in registry ${registry}`);
});

test('an unreachable registry is a missing image with the reason, not a crash', async () => {
  const { stderr } = await proof(program('127.0.0.1:1/team/base:1'), ['--cost', 'available']);
  expect(stderr).toMatch(/missing {2}127\.0\.0\.1:1\/team\/base:1: registry 127\.0\.0\.1:1 unreachable/);
});

test('other cost functions consult nothing', async () => {
  const before = requests.length;
  const { code, stdout } = await proof(program(`${registry}/team/base:1`), ['--cost', 'first', '--compact']);
  expect(code).toBe(0);
  expect(stdout).toContain('from("modus-test/busybox:1")');
  expect(requests.length).toBe(before);
});

describe('a computed image name (f-string) counts as much as a constant one', () => {
  const computed = (tag: string) =>
    [
      `tag("${tag}").`,
      `base :- from("${registry}/team/base:1"), run("echo 1 > /a").`,
      `base :- tag(T), from(f"${registry}/team/other:\${T}").`,
      'app :- base, run("echo app > /app").',
      '',
    ].join('\n');

  test('a missing computed image makes the other rule the proof', async () => {
    const { code, stdout, stderr } = await proof(computed('2'), ['--cost', 'available', '--compact']);
    expect(code).toBe(0);
    expect(stdout).toContain(`from("${registry}/team/base:1")`);
    expect(stdout).not.toContain('team/other');
    expect(stderr).toContain(`missing  ${registry}/team/other:2: not found in registry ${registry}`);
    expect(stderr).toContain(`found    ${registry}/team/base:1 (sha256:abc)`);
  });

  test('a computed image that exists is chosen when cheaper', async () => {
    const { code, stdout } = await proof(computed('2').replace('team/other:${T}', 'team/base:${T}').replace('tag("2")', 'tag("1")'), [
      '--cost',
      'available',
      '--compact',
    ]);
    expect(code).toBe(0);
    expect(stdout).toContain(`(1 layer):\napp\n├── from("${registry}/team/base:1")\n└── run("echo app > /app")`);
  });
});
