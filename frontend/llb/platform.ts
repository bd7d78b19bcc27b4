/**
 * Platforms as `--platform` spells them (`os/arch[/variant]`, several separated by commas), read
 * the same way by the frontend's `platform` option and by the `modus` program's `--platform`; and
 * the automatic platform build args, as the Dockerfile frontend makes them, which a build and the
 * `modus` commands that solve a goal both give it.
 */
import type { Platform } from './types';

/** A platform list that cannot be read; the message names the text and what was expected. */
export class PlatformError extends Error {}

const KNOWN_OS = ['linux', 'windows', 'darwin', 'freebsd', 'netbsd', 'openbsd', 'solaris', 'illumos', 'aix', 'android', 'ios', 'js', 'wasip1', 'plan9', 'dragonfly'];
const KNOWN_ARCH = ['amd64', 'arm64', 'arm', '386', 'ppc64le', 'ppc64', 's390x', 'riscv64', 'mips64le', 'mips64', 'mipsle', 'mips', 'loong64', 'wasm'];

/** Every platform of a comma-separated list, each once, in the order given; an empty item is an error. */
export function parsePlatforms(text: string): Platform[] {
  const items = text.split(',').map((p) => p.trim());
  if (items.some((p) => p === '')) {
    throw new PlatformError(`empty platform in \`${text}\`: expected os/architecture[/variant], several separated by commas, e.g. linux/amd64,linux/arm64`);
  }
  const platforms = items.map(parsePlatform);
  return platforms.filter((p, i) => platforms.findIndex((q) => formatPlatform(q) === formatPlatform(p)) === i);
}

function parsePlatform(text: string): Platform {
  const parts = text.split('/');
  if (parts.length < 2 || parts.length > 3 || parts.some((p) => !/^[a-z0-9_.-]+$/i.test(p))) {
    throw new PlatformError(`invalid platform \`${text}\`: expected os/architecture[/variant], e.g. linux/amd64`);
  }
  const platform: Platform = { os: parts[0]!.toLowerCase(), architecture: normalArch(parts[1]!.toLowerCase()) };
  if (!KNOWN_OS.includes(platform.os)) throw new PlatformError(`unknown operating system \`${parts[0]}\` in platform \`${text}\` (e.g. linux/amd64, linux/arm64)`);
  if (!KNOWN_ARCH.includes(platform.architecture)) throw new PlatformError(`unknown architecture \`${parts[1]}\` in platform \`${text}\` (e.g. linux/amd64, linux/arm64, linux/arm/v7)`);
  if (parts[2]) platform.variant = parts[2].toLowerCase();
  return platform;
}

/** The spellings containerd accepts for the same architecture. */
function normalArch(arch: string): string {
  return ({ x86_64: 'amd64', 'x86-64': 'amd64', aarch64: 'arm64', i386: '386' } as Record<string, string>)[arch] ?? arch;
}

export function formatPlatform(p: Platform): string {
  return [p.os, p.architecture, p.variant].filter(Boolean).join('/');
}

/**
 * TARGETPLATFORM, TARGETOS, TARGETARCH, TARGETVARIANT, BUILDPLATFORM, BUILDOS, BUILDARCH; given
 * build args win. `builder` is the platform the steps run on (the target's when unknown).
 */
export function platformBuildArgs(target: Platform, builder: Platform | undefined, given: Readonly<Record<string, string>>): Record<string, string> {
  const build = builder ?? target;
  const automatic: Record<string, string> = {
    TARGETPLATFORM: formatPlatform(target),
    TARGETOS: target.os,
    TARGETARCH: target.architecture,
    TARGETVARIANT: target.variant ?? '',
    BUILDPLATFORM: formatPlatform(build),
    BUILDOS: build.os,
    BUILDARCH: build.architecture,
  };
  return { ...automatic, ...given };
}
