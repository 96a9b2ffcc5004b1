# plantflow workers, API, plant edge and CLI: one image of compiled JavaScript; the command chooses the role
# (see docker-compose.yml). The build stage compiles and bundles the workflows ahead of time (npm run build);
# the runtime stage has production dependencies only: no ts-node, no type-check at start. better-sqlite3 (the
# edge's backlog) is compiled by its install script, so the C++ toolchain stays in the build stages.
FROM node:20.19-bookworm-slim AS build
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY domain ./domain
COPY contracts ./contracts
COPY runtime ./runtime
COPY workflows ./workflows
COPY activities ./activities
COPY workers ./workers
COPY client ./client
COPY edge ./edge
COPY simulators ./simulators
COPY demo ./demo
COPY scripts ./scripts
RUN npm run build

FROM node:20.19-bookworm-slim AS dependencies
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

FROM node:20.19-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
COPY --from=dependencies /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY bin ./bin
RUN mkdir -p /var/lib/plantflow && chown node:node /var/lib/plantflow
USER node
# Overridden per service: workers (PLANTFLOW_WORKERS chooses which), the HTTP API (dist/client/api/main.js) or
# the plant edge.
CMD ["node", "dist/workers/main.js"]
