/**
 * The LLB builder: immutable states and ops, marshaled once into a deterministic pb.Definition.
 *
 *   const base = image('docker.io/library/alpine:3.19').withImageConfig(config);
 *   const built = base.withDir('/src').run({ args: ['/bin/sh', '-c', 'make'], customName: 'make' });
 *   const withFile = built.file(mkfile('/etc/motd', 0o644, 'hello\n'));
 *   const def = marshal(withFile, { platform });
 */
export { State, scratch } from './state';
export { image, local, source, goJson } from './source';
export type { MountOptions } from './exec';
export { FileAction, mkfile, copy, parseOwner } from './fileop';
export { merge } from './merge';
export { diff } from './diff';
export { marshal, terminalInput, requiredCaps, sha256Digest } from './marshal';
export { normalizeImageRef, parseImageRef } from './reference';
export * from './types';
