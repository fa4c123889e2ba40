# Flotilla's image: the hub, the gateway, the agent and the CLI, compiled (no TypeScript at run
# time), with the built-in definitions and CRDs. One recipe for everyone (docs/image.md):
#
#   with a registry:  docker build -t flotilla:0.1.0 .        (public Node 20 images)
#   on this project's CI and local fleet:  npm run image       (the same file, with Node base
#                     images made on the machine passed as NODE_BASE and RUNTIME_BASE)
#
# Runs as the non-root user 65532 and writes nothing outside /tmp, so the root file system can
# be read-only (mount an emptyDir on /tmp in Kubernetes).
ARG NODE_BASE=node:20-bookworm-slim
ARG RUNTIME_BASE=node:20-bookworm-slim

FROM ${NODE_BASE} AS build
WORKDIR /src
COPY package.json package-lock.json ./
# --ignore-scripts: the prepare script builds dist/, which needs the sources copied below.
# The optional build secret `extra-ca` adds CA certificates for a registry reached through a
# TLS-inspecting proxy (`--secret id=extra-ca,src=<bundle>`); without it Node says it ignores
# the missing file and uses its own CAs.
RUN --mount=type=cache,target=/root/.npm --mount=type=secret,id=extra-ca \
    NODE_EXTRA_CA_CERTS=/run/secrets/extra-ca npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY core core
COPY engine engine
COPY hub hub
COPY gateway gateway
COPY agent agent
COPY cli cli
COPY fleet fleet
RUN npm run build \
 && npm prune --omit=dev --ignore-scripts --no-audit --no-fund \
 && find dist -name '*.map' -delete \
 && find node_modules -type f \( -name '*.map' -o -name '*.d.ts' -o -name '*.d.mts' -o -name '*.d.cts' -o -name '*.md' -o -name '*.ts.map' \) -delete

FROM ${RUNTIME_BASE}
WORKDIR /app
ENV NODE_ENV=production HOME=/tmp
COPY --from=build /src/package.json ./
COPY --from=build /src/node_modules node_modules
COPY --from=build /src/dist dist
COPY bin bin
COPY definitions definitions
COPY charts/flotilla/crds charts/flotilla/crds
COPY fleet/crds fleet/crds
USER 65532:65532
ENTRYPOINT ["node", "/app/bin/flotilla.js"]
CMD ["--help"]
