# The Modus frontend image (`npm run image` builds it as modus-frontend:dev).
# Build the bundle first (`npm run build` writes dist/frontend.js). On a machine that can pull,
# the default base works as is; offline, scripts/build-frontend-image.sh passes a local base
# image made from the machine's own node (NODE_IMAGE=modus-node-base:20).
ARG NODE_IMAGE=node:20-bookworm-slim
FROM ${NODE_IMAGE}

COPY dist/frontend.js /modus/frontend.js
# A V8 start-up snapshot of the evaluated bundle: the frontend starts with its modules loaded and
# its parser built (about 100 ms less per build). Built here, by the node that will run it.
RUN ["/usr/local/bin/node", "--snapshot-blob", "/modus/frontend.blob", "--build-snapshot", "/modus/frontend.js"]

# BuildKit starts the frontend with the entrypoint (CMD and USER are ignored), stdin/stdout being
# the gRPC pipe. The frontend needs no network: without this label Docker 20.10 tries to attach
# it to the bridge network. The caps label lists the frontend features we implement (BuildKit
# refuses a request for one that is not listed): inputs, subrequests (--call, --check) and
# named contexts (--build-context).
LABEL moby.buildkit.frontend.network.none="true" \
      moby.buildkit.frontend.caps="moby.buildkit.frontend.inputs,moby.buildkit.frontend.subrequests,moby.buildkit.frontend.contexts" \
      org.opencontainers.image.title="Modus BuildKit frontend"
ENV NODE_ENV=production
WORKDIR /modus
# The entrypoint writes the HTTP/2 client preface and an empty SETTINGS frame before node starts:
# BuildKit drops a frontend whose preface comes more than 10 s after it began serving, and under
# load (many builds at once) node's own start took much of that time. The frontend then skips the
# preface it would write (frontend/gateway/greeting.ts). Any POSIX sh does; the bytes are
# EARLY_GREETING there, which a unit test checks.
ENTRYPOINT ["/bin/sh", "-c", "printf 'PRI * HTTP/2.0\\r\\n\\r\\nSM\\r\\n\\r\\n\\000\\000\\000\\004\\000\\000\\000\\000\\000' && MODUS_GREETING_SENT=1 exec /usr/local/bin/node --snapshot-blob /modus/frontend.blob"]
