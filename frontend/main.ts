// The frontend entry point (started by BuildKit's gateway.v0 with the gRPC pipe on stdin/stdout).
// Placeholder until the gateway client and the pipeline are wired together.
process.stderr.write('modus frontend: not implemented yet\n');
process.exit(1);
