/** The BuildKit gateway client (the only I/O of the frontend). */
export { GatewayClient, messageTypes } from './client';
export type { ReturnResult, WorkerInfo, SourceRange } from './client';
export { Caps, V08_API_CAPS, V08_LLB_CAPS } from './caps';
export { GrpcTransport, GrpcError, GRPC_CODE, frameMessage, unframeMessages } from './transport';
export type { UnaryTransport } from './transport';
export { FrontendError, UnsupportedSubrequestError, statusFromError } from './errors';
export type { SourceDetail } from './errors';
export { parseFrontendEnv, buildArgs, cacheImports } from './options';
export type { FrontendEnv } from './options';
export { runFrontend } from './stdio';
export type { FrontendContext } from './stdio';
