# plantflow workers, API, plant edge and CLI. One image; the command chooses the role (see docker-compose.yml).
# better-sqlite3 (the edge's backlog) is compiled by its install script: the toolchain stays in this stage.
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
RUN mkdir -p /var/lib/plantflow && chown node:node /var/lib/plantflow
COPY domain ./domain
COPY contracts ./contracts
COPY runtime ./runtime
COPY workflows ./workflows
COPY activities ./activities
COPY workers ./workers
COPY client ./client
COPY edge ./edge
COPY simulators ./simulators
COPY bin ./bin
COPY tsconfig.json ./
USER node
# Overridden per service: workers (PLANTFLOW_WORKERS chooses which) or the HTTP API.
CMD ["npx", "ts-node", "workers/main.ts"]
