# Image of the app for docker-compose.yml. Kafka runs in its own container (KAFKA_BROKERS).
FROM node:20-bookworm-slim
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npx next build
EXPOSE 3000
# A larger young generation: the worker allocates per reading, and most of it dies young
# (see BENCHMARKS.md; the same flag as `npm start`).
CMD ["node", "--max-semi-space-size=64", "--import", "tsx", "server/main.ts"]
