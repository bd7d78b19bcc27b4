/**
 * The `modus` program's image resolver for cost `available` (the frontend asks the gateway
 * instead): the local Docker image store first (`docker image inspect`), then, for a reference
 * naming a registry (`host:port/...`, `host.domain/...`, `localhost/...`), that registry's HTTP
 * API: HEAD /v2/<name>/manifests/<tag or digest> with the manifest media types accepted.
 * Docker Hub is not asked (it needs a token exchange and these machines are offline).
 */
import { execFile } from 'child_process';
import type { ImageResolver } from '../caching/availability';
import { parseImageRef } from '../llb';

const MANIFEST_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

interface LocalResolverOptions {
  /** The docker client program. */
  docker: string;
  /** The client's environment (DOCKER_HOST, DOCKER_CONFIG, …): the command's, not this process's. */
  env?: Readonly<Record<string, string | undefined>>;
  timeoutMs?: number;
}

export function localImageResolver(options: LocalResolverOptions): ImageResolver {
  const client = options.docker;
  const timeoutMs = options.timeoutMs ?? 10_000;
  return async (ref) => {
    const local = await inLocalStore(client, options.env, ref, timeoutMs);
    if (local) return {};
    const parsed = parseImageRef(ref);
    if (!parsed) throw new Error('invalid image reference');
    if (!namesRegistry(ref)) throw new Error('not in the local image store (Docker Hub is not queried)');
    return manifestDigest(parsed.domain, parsed.path, parsed.digest ?? parsed.tag ?? 'latest', timeoutMs);
  };
}

function inLocalStore(client: string, env: LocalResolverOptions['env'], ref: string, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    execFile(client, ['image', 'inspect', '--format', '{{.Id}}', ref], { timeout: timeoutMs, ...(env ? { env } : {}) }, (err) => resolve(!err));
  });
}

/** True when the first path component is a registry host, as Docker decides it. */
function namesRegistry(ref: string): boolean {
  const slash = ref.indexOf('/');
  if (slash < 0) return false;
  const first = ref.slice(0, slash);
  return first === 'localhost' || first.includes('.') || first.includes(':');
}

async function manifestDigest(host: string, name: string, reference: string, timeoutMs: number): Promise<{ digest?: string }> {
  const plainHttp = /^(localhost|127\.\d+\.\d+\.\d+)(:\d+)?$/.test(host);
  const url = `${plainHttp ? 'http' : 'https'}://${host}/v2/${name}/manifests/${reference}`;
  let response: Response;
  try {
    response = await fetch(url, { method: 'HEAD', headers: { Accept: MANIFEST_TYPES }, signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    throw new Error(`registry ${host} unreachable: ${(err as Error).message}`);
  }
  if (response.status === 404) throw new Error(`not found in registry ${host}`);
  if (!response.ok) throw new Error(`registry ${host} answered ${response.status}`);
  const digest = response.headers.get('docker-content-digest');
  return digest ? { digest } : {};
}
