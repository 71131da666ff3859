# One image for every app of the workspace; docker-compose picks the command.
FROM node:20-bookworm-slim
WORKDIR /app
ENV COREPACK_INTEGRITY_KEYS=0
COPY . .
# Dev dependencies too: the engine runs TypeScript through tsx and the Next apps build in the image.
RUN npx --yes pnpm@10.34.9 install --frozen-lockfile
ENV NODE_ENV=production
EXPOSE 8787
CMD ["node_modules/.bin/tsx", "apps/engine/src/main.ts", "--role", "all"]
