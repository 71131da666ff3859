import { describe, expect, it } from "vitest";
import { OVERFLOW, Registry } from "./registry.ts";

const SAMPLE =
  /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="(\\.|[^"\\])*",?)*\})? (-?[0-9.e+]+|NaN|\+Inf|-Inf)$/;

describe("Prometheus registry", () => {
  it("renders counters, gauges and cumulative histograms in text format 0.0.4", async () => {
    const r = new Registry();
    const c = r.counter({ name: "t_total", help: "a counter", labelNames: ["outcome"] });
    const g = r.gauge({ name: "t_gauge", help: "a gauge" });
    const h = r.histogram({ name: "t_seconds", help: "a histogram", labelNames: ["connector_id"], buckets: [0.1, 1] });
    c.inc({ outcome: "success" });
    c.inc({ outcome: "success" }, 2);
    g.set(undefined, 7.5);
    h.observe({ connector_id: "con_a" }, 0.05);
    h.observe({ connector_id: "con_a" }, 0.5);
    h.observe({ connector_id: "con_a" }, 5);
    const text = await r.render();
    expect(text).toContain("# TYPE t_total counter\n");
    expect(text).toContain('t_total{outcome="success"} 3\n');
    expect(text).toContain("t_gauge 7.5\n");
    expect(text).toContain('t_seconds_bucket{connector_id="con_a",le="0.1"} 1\n');
    expect(text).toContain('t_seconds_bucket{connector_id="con_a",le="1"} 2\n');
    expect(text).toContain('t_seconds_bucket{connector_id="con_a",le="+Inf"} 3\n');
    expect(text).toContain('t_seconds_count{connector_id="con_a"} 3\n');
    expect(text).toContain('t_seconds_sum{connector_id="con_a"} 5.55\n');
    for (const line of text.trim().split("\n")) if (!line.startsWith("#")) expect(line).toMatch(SAMPLE);
  });

  it("shows an unlabelled counter as 0 before anything happened", async () => {
    const r = new Registry();
    r.counter({ name: "t_events_total", help: "events" });
    expect(await r.render()).toContain("t_events_total 0\n");
  });

  it("escapes label values and refuses unknown labels, bad names and decrements", () => {
    const r = new Registry();
    const c = r.counter({ name: "t_total", help: "x", labelNames: ["connector_id"] });
    c.inc({ connector_id: 'a"b\\c\nd' });
    return r.render().then((text) => {
      expect(text).toContain('t_total{connector_id="a\\"b\\\\c\\nd"} 1');
      expect(() => c.inc({ other: "x" })).toThrow(/unknown label/);
      expect(() => c.inc({ connector_id: "x" }, -1)).toThrow(/only goes up/);
      expect(() => r.counter({ name: "bad-name", help: "x" })).toThrow(/invalid metric name/);
      expect(() => r.counter({ name: "t_total", help: "x" })).toThrow(/registered twice/);
    });
  });

  it("bounds label cardinality: series beyond the cap fold into one overflow series", async () => {
    const r = new Registry();
    const c = r.counter({ name: "t_total", help: "x", labelNames: ["connector_id"], maxSeries: 3 });
    for (let i = 0; i < 10; i++) c.inc({ connector_id: `con_${i}` });
    const lines = (await r.render()).split("\n").filter((l) => l.startsWith("t_total{"));
    expect(lines).toHaveLength(3);
    expect(lines).toContain(`t_total{connector_id="${OVERFLOW}"} 8`);
  });

  it("runs collect hooks before rendering (scrape-time gauges)", async () => {
    const r = new Registry();
    const g = r.gauge({ name: "t_depth", help: "x", labelNames: ["status"] });
    let n = 0;
    r.onCollect(async () => {
      g.reset();
      g.set({ status: "PENDING" }, ++n);
    });
    expect(await r.render()).toContain('t_depth{status="PENDING"} 1');
    expect(await r.render()).toContain('t_depth{status="PENDING"} 2');
  });
});
