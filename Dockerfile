# plantflow workers, API and CLI: one image of compiled JavaScript; the command chooses the role (see
# docker-compose.yml). The build stage compiles and bundles the workflows ahead of time (npm run build);
# the runtime stage has production dependencies only: no ts-node, no type-check at start.
FROM node:20.19-bookworm-slim AS build
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
COPY simulators ./simulators
COPY demo ./demo
COPY scripts ./scripts
RUN npm run build

FROM node:20.19-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY --from=build /app/dist ./dist
COPY bin ./bin
USER node
# Overridden per service: workers (PLANTFLOW_WORKERS chooses which) or the HTTP API (dist/client/api/main.js).
CMD ["node", "dist/workers/main.js"]
