# One image for every app of the workspace; docker-compose picks the command.
FROM node:20-bookworm-slim
WORKDIR /app
ENV COREPACK_INTEGRITY_KEYS=0 NODE_ENV=production
COPY . .
RUN npx --yes pnpm@10.34.9 install --frozen-lockfile
EXPOSE 8787
CMD ["node_modules/.bin/tsx", "apps/engine/src/main.ts", "--role", "all"]
