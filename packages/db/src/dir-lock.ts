import { linkSync, mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

export class DatabaseLockedError extends Error {
  constructor(dataDir: string, pid: number) {
    super(
      `The embedded database at ${dataDir} is in use by another process (pid ${pid}). ` +
        "PGlite allows one process per data directory: stop that process, or point IB_DATA_DIR elsewhere, " +
        "or use PostgreSQL (DATABASE_URL) to run several engine processes.",
    );
    this.name = "DatabaseLockedError";
  }
}

/** How long a start waits for a holder that is still exiting (killed, or shutting down) before refusing. */
export const DEFAULT_LOCK_WAIT_MS = 5000;
const POLL_MS = 50;

/**
 * Who holds a data directory: pid, the process's start time (clock ticks since boot, /proc/<pid>/stat
 * field 22) and the boot id, so that a pid reused by another process, or by us after a reboot, is not
 * taken for the holder. Engines before this wrote the bare pid, which still reads.
 */
export interface LockHolder {
  pid: number;
  startTime?: string;
  bootId?: string;
}

/**
 * PGlite does not stop a second process from opening (and corrupting) the same data directory, so we
 * hold `<dataDir>.lock`, naming our process. The lock must be released by death itself, kill -9
 * included, and Node has no flock(2): a lock whose holder is gone, a zombie (dead, not yet reaped by its
 * parent: `kill(pid, 0)` still succeeds for it) or another process under the same pid is taken over; a
 * live holder is given `waitMs` to exit, then the start is refused with DatabaseLockedError. (A lock the
 * kernel drops on death without a native addon, an abstract unix socket, exists only on Linux and only
 * within one network namespace, so it would not see an engine in another container sharing the volume.)
 */
export async function acquireDirLock(dataDir: string, { waitMs = DEFAULT_LOCK_WAIT_MS } = {}): Promise<() => void> {
  const lockPath = `${dataDir.replace(/\/+$/, "")}.lock`;
  mkdirSync(dirname(lockPath), { recursive: true });
  const mine = JSON.stringify(currentHolder());
  const deadline = Date.now() + waitMs;
  for (;;) {
    if (createLockFile(lockPath, mine)) return releaser(lockPath, mine);
    const found = readLockFile(lockPath);
    if (found === undefined) continue; // released between our attempt and the read
    const holder = parseHolder(found);
    if (!holder || !isHolderAlive(holder)) {
      removeStaleLock(lockPath, found);
      continue;
    }
    // Our own process holds it (a second handle): waiting would not help.
    if (holder.pid === process.pid || Date.now() >= deadline) throw new DatabaseLockedError(dataDir, holder.pid);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** Whether the process a lock names is still running (and is still the same process). */
function isHolderAlive(holder: LockHolder): boolean {
  if (!Number.isInteger(holder.pid) || holder.pid <= 0) return false;
  if (holder.bootId && BOOT_ID && holder.bootId !== BOOT_ID) return false;
  // Our own pid: ours only if it is our start time too (in a restarted container the engine often gets
  // the pid its predecessor had).
  if (holder.pid === process.pid) return holder.startTime === OWN_START_TIME;
  const stat = readProcStat(holder.pid);
  // No /proc (macOS...), or no entry for it (gone, or hidden by hidepid): ask the kernel.
  if (stat === undefined) return signalZeroSaysAlive(holder.pid);
  if (stat.state === "Z" || stat.state === "X") return false;
  if (holder.startTime !== undefined && stat.startTime !== holder.startTime) return false;
  return true;
}

/** The state letter and start time of a process from /proc/<pid>/stat; undefined without one. */
export function readProcStat(pid: number | "self"): { state: string; startTime: string } | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return undefined;
  }
  // The command name (field 2) is in parentheses and may hold spaces or parentheses itself.
  const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
  const state = fields[0];
  const startTime = fields[19]; // field 22 of the whole line
  return state && startTime ? { state, startTime } : undefined;
}

const BOOT_ID = readBootId();
const OWN_START_TIME = readProcStat("self")?.startTime;

function readBootId(): string | undefined {
  try {
    return readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim() || undefined;
  } catch {
    return undefined;
  }
}

function currentHolder(): LockHolder {
  return {
    pid: process.pid,
    ...(OWN_START_TIME ? { startTime: OWN_START_TIME } : {}),
    ...(BOOT_ID ? { bootId: BOOT_ID } : {}),
  };
}

function parseHolder(text: string): LockHolder | undefined {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) return { pid: Number(trimmed) };
  try {
    const value = JSON.parse(trimmed) as Partial<LockHolder>;
    if (typeof value.pid !== "number") return undefined;
    return {
      pid: value.pid,
      ...(typeof value.startTime === "string" ? { startTime: value.startTime } : {}),
      ...(typeof value.bootId === "string" ? { bootId: value.bootId } : {}),
    };
  } catch {
    return undefined;
  }
}

/**
 * Creates the lock file with its content in one step: written aside, then hard-linked into place (link
 * fails if the name exists), so nobody ever reads a half-written lock. Filesystems without hard links
 * fall back to an exclusive create.
 */
function createLockFile(lockPath: string, content: string): boolean {
  const aside = `${lockPath}.${process.pid}.${Math.random().toString(36).slice(2)}`;
  try {
    writeFileSync(aside, content, { mode: 0o600 });
    linkSync(aside, lockPath);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EEXIST") return false;
    if (code !== "EPERM" && code !== "ENOTSUP" && code !== "EOPNOTSUPP" && code !== "ENOSYS") throw error;
    try {
      writeFileSync(lockPath, content, { mode: 0o600, flag: "wx" });
      return true;
    } catch (inner) {
      if ((inner as NodeJS.ErrnoException).code === "EEXIST") return false;
      throw inner;
    }
  } finally {
    removeQuietly(aside);
  }
}

/**
 * Removes a lock judged stale. It is first renamed away, atomically, and checked to still be the one
 * judged: if another starter replaced it meanwhile, that fresh lock is put back.
 */
function removeStaleLock(lockPath: string, judged: string) {
  const aside = `${lockPath}.stale.${process.pid}.${Math.random().toString(36).slice(2)}`;
  try {
    renameSync(lockPath, aside);
  } catch {
    return; // someone else removed it
  }
  try {
    if (readLockFile(aside) !== judged) linkSync(aside, lockPath);
  } catch {
    // a third starter holds the name now: it stays the holder
  } finally {
    removeQuietly(aside);
  }
}

function releaser(lockPath: string, mine: string): () => void {
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    process.off("exit", release);
    try {
      if (readLockFile(lockPath) === mine) removeQuietly(lockPath);
    } catch {
      // unreadable now: left for the next start to judge
    }
  };
  process.once("exit", release);
  return release;
}

/** The lock file's text; undefined when there is none. */
function readLockFile(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

function removeQuietly(path: string) {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}

function signalZeroSaysAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
