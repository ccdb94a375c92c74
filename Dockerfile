# syntax=docker/dockerfile:1
# One image for every service (bot, ingest, dashboard); the command picks the part.

FROM node:22-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# npm install, not ci: chDB's per-platform optional packages may be absent from the lock file.
RUN npm install --no-audit --no-fund --loglevel=error

FROM deps AS build
COPY . .
RUN npm run build:web && npx tsc -p tsconfig.json

FROM node:22-bookworm-slim AS runtime
ENV NODE_ENV=production \
    DATA_DIR=/var/lib/support-desk \
    PORT=3000
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm install --omit=dev --no-audit --no-fund --loglevel=error && npm cache clean --force
COPY --from=build /app/core ./core
COPY --from=build /app/schemas ./schemas
COPY --from=build /app/analytics ./analytics
COPY --from=build /app/bot ./bot
COPY --from=build /app/ingest ./ingest
COPY --from=build /app/dashboard ./dashboard
COPY --from=build /app/sandbox ./sandbox
COPY --from=build /app/scripts ./scripts
COPY --from=build /app/kb ./kb
COPY --from=build /app/macros ./macros
COPY --from=build /app/locales ./locales
COPY --from=build /app/sla ./sla
COPY --from=build /app/tsconfig.json ./tsconfig.json
RUN mkdir -p /var/lib/support-desk && chown -R node:node /var/lib/support-desk
USER node
EXPOSE 3000
# Beyond loopback (compose: HOST=0.0.0.0) /healthz needs the analytics token, so the check sends it when set.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=5 \
  CMD node -e "const t=process.env.ANALYTICS_TOKEN;fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz',{headers:t?{authorization:'Bearer '+t}:{}}).then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
CMD ["node", "--import", "tsx", "bot/main.ts"]
