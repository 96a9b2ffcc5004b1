# plantflow workers, API and CLI. One image; the command chooses the role (see docker-compose.yml).
FROM node:20.19-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY domain ./domain
COPY contracts ./contracts
COPY runtime ./runtime
COPY workflows ./workflows
COPY activities ./activities
COPY workers ./workers
COPY client ./client
COPY simulators ./simulators
COPY bin ./bin
COPY tsconfig.json ./
USER node
# Overridden per service: workers (PLANTFLOW_WORKERS chooses which) or the HTTP API.
CMD ["npx", "ts-node", "workers/main.ts"]
