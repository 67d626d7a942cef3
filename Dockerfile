# syntax=docker/dockerfile:1
# Roster as a container: a build stage with the dev dependencies, and a small
# runtime stage holding only Next.js's standalone server, run as a non-root user.

FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts

FROM node:20-bookworm-slim AS build
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1 NODE_ENV=production
COPY --from=deps /app/node_modules ./node_modules
COPY . .
RUN npx next build

FROM node:20-bookworm-slim AS runtime
WORKDIR /app
# NEXT_MANUAL_SIG_HANDLE: on `docker stop` Roster stops its syncs and closes its database, then exits.
ENV NODE_ENV=production NEXT_TELEMETRY_DISABLED=1 HOSTNAME=0.0.0.0 PORT=3000 \
    ROSTER_DATA_DIR=/data NEXT_MANUAL_SIG_HANDLE=true
RUN groupadd --system --gid 10001 roster \
 && useradd --system --uid 10001 --gid roster --home /app roster \
 && mkdir -p /data && chown roster:roster /data
COPY --from=build --chown=roster:roster /app/.next/standalone ./
COPY --from=build --chown=roster:roster /app/.next/static ./.next/static
COPY --from=build --chown=roster:roster /app/public ./public
USER roster
EXPOSE 3000
VOLUME ["/data"]
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/api/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "server.js"]
