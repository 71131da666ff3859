import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createDb } from "./client.ts";
import { acquireDirLock, DatabaseLockedError, readProcStat } from "./dir-lock.ts";

const root = mkdtempSync(join(tmpdir(), "ib-dir-lock-"));
let seq = 0;
const children: ChildProcess[] = [];

function freshDir() {
  seq += 1;
  return join(root, `db-${seq}`);
}

/** A live process other than us, for as long as the test needs it. */
function liveProcess(): ChildProcess {
  const child = spawn(process.execPath, ["-e", "setTimeout(() => {}, 60_000)"], { stdio: "ignore" });
  children.push(child);
  return child;
}

function writeLock(dataDir: string, content: unknown) {
  writeFileSync(`${dataDir}.lock`, typeof content === "string" ? content : JSON.stringify(content));
}

afterAll(() => {
  for (const child of children) child.kill("SIGKILL");
  rmSync(root, { recursive: true, force: true });
});

describe.skipIf(process.platform !== "linux")("data dir lock", () => {
  it("takes over a lock whose holder died but is not reaped yet (a zombie), without waiting", async () => {
    const dataDir = freshDir();
    // Everything below runs in one synchronous stretch, so our event loop cannot reap the child: it
    // stays a zombie, as after `kill -9` under a parent that has not reaped it yet.
    const child = spawn(process.execPath, ["-e", ""], { stdio: "ignore" });
    const pid = child.pid as number;
    const deadline = Date.now() + 20_000;
    while (readProcStat(pid)?.state !== "Z") {
      if (Date.now() > deadline) throw new Error("the child did not exit");
    }
    // The bare pid, as engines before the start time wrote it (and as a zombie still "answers" to it).
    writeLock(dataDir, String(pid));
    const opening = createDb({ dataDir, lockWaitMs: 0 });
    expect(readProcStat(pid)?.state).toBe("Z"); // judged while still a zombie
    const handle = await opening;
    expect(readFileSync(`${dataDir}.lock`, "utf8")).toMatch(new RegExp(`\\b${process.pid}\\b`));
    await handle.close();
    expect(existsSync(`${dataDir}.lock`)).toBe(false);
  });

  it("takes over a lock whose pid now belongs to another process (other start time, or other boot), or to us", async () => {
    const other = liveProcess();
    const stat = readProcStat(other.pid as number);
    const ours = readProcStat("self");
    for (const holder of [
      { pid: other.pid, startTime: String(Number(stat?.startTime) - 1) },
      { pid: other.pid, startTime: stat?.startTime, bootId: "00000000-0000-0000-0000-000000000000" },
      // A restarted container: the new engine got the pid its killed predecessor had.
      { pid: process.pid, startTime: String(Number(ours?.startTime) - 1) },
      String(process.pid),
    ]) {
      const dataDir = freshDir();
      writeLock(dataDir, holder);
      const release = await acquireDirLock(dataDir, { waitMs: 0 });
      release();
    }
  });

  it("refuses a live holder with DatabaseLockedError after waiting for it to exit", async () => {
    const holder = liveProcess();
    const dataDir = freshDir();
    writeLock(dataDir, { pid: holder.pid, startTime: readProcStat(holder.pid as number)?.startTime });
    const started = Date.now();
    const error = await acquireDirLock(dataDir, { waitMs: 300 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatabaseLockedError);
    expect((error as Error).message).toMatch(new RegExp(`in use by another process \\(pid ${holder.pid}\\)`));
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    // A lock in the old format (the bare pid) naming a live process is refused too.
    const legacy = freshDir();
    writeLock(legacy, String(holder.pid));
    await expect(acquireDirLock(legacy, { waitMs: 0 })).rejects.toBeInstanceOf(DatabaseLockedError);
  });

  it("gets the lock once a holder that is exiting is gone, within the wait", async () => {
    const holder = liveProcess();
    const dataDir = freshDir();
    writeLock(dataDir, { pid: holder.pid, startTime: readProcStat(holder.pid as number)?.startTime });
    setTimeout(() => holder.kill("SIGKILL"), 200);
    const release = await acquireDirLock(dataDir, { waitMs: 10_000 });
    release();
  });

  it("refuses a second handle in the same process at once, and releases only its own lock", async () => {
    const dataDir = freshDir();
    const release = await acquireDirLock(dataDir, { waitMs: 0 });
    await expect(acquireDirLock(dataDir, { waitMs: 10_000 })).rejects.toBeInstanceOf(DatabaseLockedError);
    // Someone else's lock (written after ours was removed by hand) survives our release.
    rmSync(`${dataDir}.lock`);
    writeLock(dataDir, { pid: 1 });
    release();
    expect(readFileSync(`${dataDir}.lock`, "utf8")).toBe('{"pid":1}');
  });

  it("takes over a lock in the old format (bare pid) or unreadable, left by a process that is gone", async () => {
    for (const content of ["999999999", "", "{not json"]) {
      const dataDir = freshDir();
      writeLock(dataDir, content);
      const release = await acquireDirLock(dataDir, { waitMs: 0 });
      release();
    }
  });
});
