import { randomBytes } from "node:crypto";
import { type AmqpSourceFields, BROKER_KINDS, BROKER_LIMITS, type NatsSourceFields } from "@ib/core/contracts/broker";
import { MappingRenderer } from "@ib/core/mapping";
import { type Source, sources } from "@ib/db";
import { and, eq, inArray } from "drizzle-orm";
import type { BackgroundService } from "../background-service.ts";
import { type AppContext, systemContext } from "../context.ts";
import { loadSourceCredentials } from "../verbs/sources/load-source-secrets.ts";
import { destinationPolicy } from "../worker/ssrf-guard.ts";
import { amqpDriver } from "./amqp-consumer.ts";
import { BrokerConsumer, ConsumerConfigError, type ConsumerDriver } from "./consumer.ts";
import { ingestMessages } from "./ingest-messages.ts";
import { sourceLeases } from "./leases.ts";
import { natsDriver } from "./nats-consumer.ts";
import { RUNTIME_HEARTBEAT_MS, RuntimeReporter } from "./runtime-reporter.ts";

export interface BrokerSourcesOptions {
  /** How often sources are looked at (new, changed, disabled, deleted ones; leadership). */
  tickMs: number;
}

interface Running {
  source: Source;
  consumer: BrokerConsumer;
}

/**
 * Consumes the enabled `amqp` and `nats` sources (DESIGN §13): every `tickMs` it reads them, takes the
 * leadership of each it can (one consumer per source across all engine processes, see `leases.ts`) and
 * starts a consumer for it; a source edited, disabled or deleted, or whose lock was lost, has its
 * consumer stopped (and restarted with the new settings when edited). On shutdown consumption pauses,
 * batches in flight finish, and the locks go with the connection, so another process takes over.
 */
export function brokerSourcesService(
  app: AppContext,
  overrides: Partial<BrokerSourcesOptions> = {},
): BackgroundService & { running(): ReadonlyMap<string, Running> } {
  const options: BrokerSourcesOptions = { tickMs: 2_000, ...overrides };
  const consumerId = `${app.instanceId}:${process.pid}:${randomBytes(3).toString("hex")}`;
  const log = app.logger.child ? app.logger.child({ service: "broker-sources" }) : app.logger;
  const leases = sourceLeases(app.dbHandle);
  const reporter = new RuntimeReporter(app.db, consumerId, log);
  const running = new Map<string, Running>();
  const policy = destinationPolicy(app.env);
  let timer: NodeJS.Timeout | undefined;
  let heartbeat: NodeJS.Timeout | undefined;
  let ticking: Promise<void> | undefined;
  let stopped = true;

  async function tick() {
    const rows = await app.db
      .select()
      .from(sources)
      .where(and(inArray(sources.kind, [...BROKER_KINDS]), eq(sources.enabled, true)));
    const wanted = new Map(rows.map((r) => [r.id, r]));
    for (const id of await leases.verify()) {
      log.warn({ sourceId: id }, "broker source: leadership lost; stopping its consumer here");
      await stopOne(id, { release: false, report: false });
    }
    for (const [id, r] of running) {
      const now = wanted.get(id);
      if (!now) await stopOne(id, { release: true });
      else if (now.version !== r.source.version) {
        await stopOne(id, { release: false });
        if (!stopped) startOne(now);
      }
    }
    for (const source of rows) {
      if (stopped) return;
      if (running.has(source.id)) continue;
      if (await leases.tryAcquire(source.id)) startOne(source);
    }
  }

  function startOne(source: Source) {
    const consumer = new BrokerConsumer(
      driverFor(source),
      (messages) =>
        ingestMessages(
          app,
          {
            id: source.id,
            eventName: source.eventName,
            eventMapping: (source.eventMapping as Record<string, string> | null) ?? null,
            typeHeader: typeof source.config.typeHeader === "string" ? source.config.typeHeader : undefined,
          },
          messages,
        ),
      {
        batchSize: prefetchOf(source),
        log: log.child ? log.child({ sourceId: source.id }) : log,
        onChange: (status) => reporter.report(source.id, status),
      },
    );
    running.set(source.id, { source, consumer });
    reporter.report(source.id, consumer.status);
    consumer.start();
    log.info({ sourceId: source.id, kind: source.kind, consumer: consumerId }, "broker source: consuming here");
  }

  async function stopOne(
    id: string,
    { release, report = true, graceMs = 5_000 }: { release: boolean; report?: boolean; graceMs?: number },
  ) {
    const r = running.get(id);
    if (!r) return;
    running.delete(id);
    await r.consumer.stop(graceMs);
    // Leadership lost: whoever holds the source now reports on it; "stopped" from here would overwrite it.
    if (report) await reporter.forget(id, r.consumer.status).catch(() => {});
    else reporter.drop(id);
    if (release) await leases.release(id);
  }

  function driverFor(source: Source): ConsumerDriver {
    const name = `integration-builder source ${source.id} (${consumerId})`;
    if (source.kind === "amqp") {
      const config = source.config as AmqpSourceFields;
      return amqpDriver({
        url: () => renderUrl(source, config.url),
        queue: config.queue,
        prefetch: prefetchOf(source),
        policy,
        name,
      });
    }
    const config = source.config as NatsSourceFields;
    return natsDriver({
      servers: () => renderUrl(source, config.servers),
      stream: config.stream,
      consumer: config.consumer,
      prefetch: prefetchOf(source),
      policy,
      name,
    });
  }

  /** The source's URL with its secrets, read at each connect (a rotated password is picked up). */
  async function renderUrl(source: Source, template: string): Promise<string> {
    const { secrets } = await loadSourceCredentials({ ctx: systemContext(app), input: { sourceId: source.id } });
    const renderer = new MappingRenderer({
      event: { id: "", name: "", source: null, time: "", payload: null },
      secrets,
    });
    try {
      return renderer.renderString(template, encodeURIComponent).value;
    } catch (error) {
      throw new ConsumerConfigError(`the broker URL cannot be rendered: ${(error as Error).message}`);
    }
  }

  function schedule() {
    if (stopped) return;
    timer = setTimeout(() => {
      ticking = tick()
        .catch((error) => log.warn({ err: error }, "broker sources: could not look at the sources; retrying"))
        .finally(() => {
          ticking = undefined;
          schedule();
        });
    }, options.tickMs);
    timer.unref();
  }

  return {
    name: "broker-sources",
    running: () => running,
    async start() {
      if (!stopped) return;
      stopped = false;
      heartbeat = setInterval(() => reporter.heartbeat(), RUNTIME_HEARTBEAT_MS);
      heartbeat.unref();
      ticking = tick()
        .catch((error) => log.warn({ err: error }, "broker sources: could not look at the sources; retrying"))
        .finally(() => {
          ticking = undefined;
          schedule();
        });
    },
    async stop(graceMs) {
      stopped = true;
      if (timer) clearTimeout(timer);
      if (heartbeat) clearInterval(heartbeat);
      if (ticking) await ticking;
      // Pause every consumer first, then let their batches finish together within the grace period.
      await Promise.all([...running.keys()].map((id) => stopOne(id, { release: true, graceMs })));
      await reporter.flush().catch(() => {});
      await leases.close().catch(() => {});
    },
  };
}

function prefetchOf(source: Source): number {
  const value = source.config.prefetch;
  return typeof value === "number" ? value : BROKER_LIMITS.prefetch.default;
}
