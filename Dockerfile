# Image of the app for docker-compose.yml. Kafka runs in its own container (KAFKA_BROKERS).
# Two stages: the dashboard is built with the dev dependencies, and the image that runs keeps only
# the production ones (tsx among them: the server runs its TypeScript through it), as the
# unprivileged `node` user of the official image. Node 26 is the active LTS (since October 2026; 24 is in maintenance).

FROM node:26-bookworm-slim AS build
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1
# patches/ before `npm ci`: its postinstall (patch-package) applies the kafkajs patch from there.
COPY package.json package-lock.json ./
COPY patches ./patches
RUN npm ci
COPY . .
RUN npx next build

FROM node:26-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production NEXT_TELEMETRY_DISABLED=1
COPY package.json package-lock.json ./
COPY patches ./patches
RUN npm ci --omit=dev && npm cache clean --force
COPY . .
# The build output, owned by the user that runs it (Next.js may write its cache under .next).
COPY --from=build --chown=node:node /app/.next ./.next
USER node
EXPOSE 3000
# A larger young generation: the worker allocates per reading, and most of it dies young
# (see BENCHMARKS.md; the same flag as `npm start`).
CMD ["node", "--max-semi-space-size=64", "--import", "tsx", "server/main.ts"]
