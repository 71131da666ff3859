#!/usr/bin/env node
// `npm run start:engine` / `pnpm --filter @ib/engine start`: the engine alone, prebuilt when possible
// (rebuilt first if a source changed; see build.mjs), from the sources with tsx otherwise. Arguments are
// passed on (`--role api|worker|all`); SIGINT and SIGTERM are forwarded so the engine shuts down cleanly.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { engineCommand } from "./build.mjs";

const repo = join(import.meta.dirname, "..", "..", "..");
const { command, args } = await engineCommand({ args: process.argv.slice(2) });
const child = spawn(command, args, { cwd: repo, stdio: "inherit" });
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
