/**
 * Capabilities the daemon announced in Ping. A cap is usable when it is listed and enabled.
 * A daemon that lists none (pre-caps) gets the frozen defaults Go's client assumes.
 */

export interface ApiCap {
  ID?: string;
  Enabled?: boolean;
  DisabledReason?: string;
  DisabledReasonMsg?: string;
}

const PRE_CAPS_API = ['solve.base', 'solve.inlinereturn', 'resolveimage', 'readfile'];
const PRE_CAPS_LLB = [
  'source.image', 'source.local', 'source.local.unique', 'source.local.sessionid', 'source.local.includepatterns',
  'source.local.followpaths', 'source.local.excludepatterns', 'source.local.sharedkeyhint', 'source.git',
  'source.git.keepgitdir', 'source.git.fullurl', 'source.http', 'source.http.checksum', 'source.http.perm',
  'source.http.uidgid', 'source.buildop.llbfilename', 'exec.meta.base', 'exec.meta.proxyenv', 'exec.mount.bind',
  'exec.mount.cache', 'exec.mount.cache.sharing', 'exec.mount.selector', 'exec.mount.tmpfs', 'exec.mount.secret',
  'constraints', 'platform', 'meta.ignorecache', 'meta.description', 'meta.exportcache',
];

/** Gateway API caps of Docker 20.10.24's BuildKit (v0.8), from its Ping. */
export const V08_API_CAPS = [
  'solve.base', 'solve.inlinereturn', 'resolveimage', 'resolveimage.resolvemode', 'readfile', 'return', 'returnmap',
  'readdir', 'statfile', 'importcaches', 'proto.refarray', 'reference.output', 'frontend.inputs',
  'gateway.solve.metadata', 'gateway.exec', 'frontend.caps', 'gateway.solve.evaluate',
];

/** LLB caps of Docker 20.10.24's BuildKit (v0.8), from its Ping. */
export const V08_LLB_CAPS = [
  'constraints', 'platform', 'meta.ignorecache', 'meta.description', 'meta.exportcache', 'exec.meta.base',
  'exec.meta.network', 'exec.meta.proxyenv', 'exec.meta.security', 'exec.meta.security.devices.v1',
  'exec.meta.setsdefaultpath', 'exec.cgroup', 'exec.mount.bind', 'exec.mount.bind.readwrite-nooutput',
  'exec.mount.cache', 'exec.mount.cache.sharing', 'exec.mount.secret', 'exec.mount.selector', 'exec.mount.ssh',
  'exec.mount.tmpfs', 'file.base', 'file.rm.wildcard', 'source.image', 'source.image.resolvemode', 'source.local',
  'source.local.unique', 'source.local.sessionid', 'source.local.includepatterns', 'source.local.excludepatterns',
  'source.local.followpaths', 'source.local.sharedkeyhint', 'source.git', 'source.git.keepgitdir',
  'source.git.fullurl', 'source.git.httpauth', 'source.git.knownsshhosts', 'source.git.mountsshsock', 'source.http',
  'source.http.checksum', 'source.http.perm', 'soruce.http.uidgid', 'source.buildop.llbfilename',
];

class CapSet {
  private readonly enabled: ReadonlySet<string>;

  constructor(ids: Iterable<string>) {
    this.enabled = new Set(ids);
  }

  static fromPing(caps: readonly ApiCap[] | undefined, preCapsDefault: readonly string[]): CapSet {
    if (!caps || caps.length === 0) return new CapSet(preCapsDefault);
    return new CapSet(caps.filter((c) => c.Enabled && c.ID).map((c) => c.ID!));
  }

  has(id: string): boolean {
    return this.enabled.has(id);
  }

  /** The ids of `wanted` this set lacks, in the given order. */
  missing(wanted: Iterable<string>): string[] {
    return [...wanted].filter((id) => !this.enabled.has(id));
  }

  /** All enabled ids, sorted. */
  list(): string[] {
    return [...this.enabled].sort();
  }
}

/** Gateway API caps (`readfile`, `gateway.solve.evaluate`, …) and LLB caps (`exec.mount.bind`, …). */
export class Caps {
  constructor(
    readonly api: CapSet,
    readonly llb: CapSet,
  ) {}

  static fromPing(frontendApiCaps: readonly ApiCap[] | undefined, llbCaps: readonly ApiCap[] | undefined): Caps {
    return new Caps(CapSet.fromPing(frontendApiCaps, PRE_CAPS_API), CapSet.fromPing(llbCaps, PRE_CAPS_LLB));
  }

  /** True if either list has the cap (the two namespaces do not overlap). */
  has(id: string): boolean {
    return this.api.has(id) || this.llb.has(id);
  }

  /** BuildKit >= 0.17.2 recomputes op digests from the canonical (oneof-last) encoding. */
  prefersCanonicalEncoding(): boolean {
    return this.llb.has('exec.validexitcode');
  }
}
