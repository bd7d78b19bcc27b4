/** The automatic platform build args, as the Dockerfile frontend makes them (no I/O, no gateway). */
import type { Platform } from '../llb/types';
import { formatPlatform } from './options';

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
