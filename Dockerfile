# The backend's container image (the UI bundle is not in it: argocd-server loads that through the
# extension installer). Build: docker build -t ghcr.io/argocd-cdevents/argocd-cdevents-backend:<version> .
FROM node:22-alpine AS build
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
# tsc copies no SQL: bring the migrations along, wherever they sit under src/backend.
RUN npx tsc -p tsconfig.build.json \
  && cd src && find backend -name '*.sql' -exec sh -c 'mkdir -p "../dist/server/$(dirname "$1")" && cp "$1" "../dist/server/$1"' _ {} \;

FROM node:22-alpine AS deps
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force

FROM node:22-alpine
ENV NODE_ENV=production \
    PORT=8080 \
    CDEVENTS_DATA_DIR=/var/lib/cdevents
WORKDIR /app
# A fixed numeric user, so runAsNonRoot can verify it without reading /etc/passwd.
RUN addgroup -g 10001 cdevents && adduser -D -u 10001 -G cdevents cdevents \
  && mkdir -p /var/lib/cdevents && chown cdevents:cdevents /var/lib/cdevents
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist/server ./dist/server
COPY package.json ./
USER 10001:10001
EXPOSE 8080
VOLUME ["/var/lib/cdevents"]
# node as PID 1 receives SIGTERM directly, so the graceful shutdown in main.ts runs.
# A 32 MiB young generation (V8's default is 16): a batch of events lives across the database
# round trip, and with the default most of it was copied by a scavenge on its way out. Cuts the
# backend's CPU per 500-event batch by about 15% (npm run bench -- ingest, which starts the backend
# with the flags written here) for at most 64 MiB more memory, within the Deployment's limit.
CMD ["node", "--max-semi-space-size=32", "dist/server/backend/main.js"]
