# The hub: one image, every role. Build: docker build -t bedside-hub .
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY . .
# The same script CI runs and then starts, so the bundle CI proves is the bundle shipped.
RUN sh scripts/build-bundle.sh

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production DATA_DIR=/data
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/package.json ./
COPY --from=build /app/devices-sim/bin ./devices-sim/bin
# The hub runs as `node`: it must own the data volume it writes PGlite and the spool into.
RUN mkdir -p /data && chown node:node /data
VOLUME /data
EXPOSE 3000 1883 8883 8083
USER node
# Node flags as in `npm start` (a larger young generation: ~7 % less CPU per message, see docs/benchmarks.md).
CMD ["node", "--max-semi-space-size=32", "dist/apps/hub/src/main.js"]
