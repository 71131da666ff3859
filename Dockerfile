# One image for every app of the workspace; docker-compose picks the command.
FROM node:20-bookworm-slim
WORKDIR /app
ENV COREPACK_INTEGRITY_KEYS=0
COPY . .
# Dev dependencies too: esbuild bundles the engine and the Next apps build in the image.
RUN npx --yes pnpm@10.34.9 install --frozen-lockfile
# The prebuilt engine (apps/engine/dist): start.mjs uses it as long as no source changed.
RUN node apps/engine/scripts/build.mjs
ENV NODE_ENV=production
EXPOSE 8787
CMD ["node", "apps/engine/scripts/start.mjs", "--role", "all"]
