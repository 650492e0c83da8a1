# Image of the app for docker-compose.yml. Kafka runs in its own container (KAFKA_BROKERS).
FROM node:20-bookworm-slim
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npx next build
EXPOSE 3000
CMD ["npx", "tsx", "server/main.ts"]
