import { describe, expect, it } from "vitest";
import { keySlot, partitionOf, placeQueues } from "../src/placement.ts";

// Three masters with equal slot ranges, as `redis-cli --cluster create` assigns them.
const masterOf = (prefix: string) => Math.floor(keySlot(prefix) / (16384 / 3));

describe("where each queue's keys live", () => {
  it("computes Redis Cluster's slot of a key and of its hash tag", () => {
    expect(keySlot("123456789")).toBe(12739); // the example in the Redis Cluster specification
    expect(keySlot("{anura}:call.event:wait")).toBe(keySlot("anura"));
    expect(keySlot("anura")).toBe(10561); // CLUSTER KEYSLOT anura on a real cluster
  });

  it("on one Redis every queue keeps the prefix and call.event its name: the keys a single queue always had", () => {
    expect(placeQueues("anura", 1).map((p) => [p.queueName, p.prefix])).toEqual([
      ["call.event", "anura"],
      ["recording.fetch", "anura"],
      ["task.create", "anura"],
      ["cdr.reconcile", "anura"],
    ]);
    expect(placeQueues("anura", 3).map((p) => p.queueName)).toEqual([
      "call.event",
      "call.event.1",
      "call.event.2",
      "recording.fetch",
      "recording.fetch.1",
      "recording.fetch.2",
      "task.create",
      "cdr.reconcile",
    ]);
  });

  it("in a cluster, three partitions of call.event land on three different masters, partition 0 on the prefix's own slot", () => {
    for (const prefix of ["{anura}", "{spread3}", "prod-{auditoria}"]) {
      const partitions = placeQueues(prefix, 3).filter((p) => p.job === "call.event");
      expect(partitions[0]?.prefix).toBe(prefix);
      expect(new Set(partitions.map((p) => masterOf(p.prefix))).size, prefix).toBe(3);
      for (const p of partitions) expect(p.prefix, prefix).toMatch(/^[^{]*\{[^}]+\}[^{]*$/);
    }
    // With one partition the other queues move off the prefix's master.
    const single = placeQueues("{anura}", 1);
    expect(masterOf(single[1]?.prefix as string)).not.toBe(masterOf("{anura}"));
  });

  it("in a cluster, recording.fetch's partitions land on three masters too, its partition 0 where the single queue was", () => {
    for (const prefix of ["{anura}", "{spread3}", "prod-{auditoria}"]) {
      const downloads = placeQueues(prefix, 3).filter((p) => p.job === "recording.fetch");
      expect(new Set(downloads.map((p) => masterOf(p.prefix))).size, prefix).toBe(3);
    }
    // Partition 0 where the one recording.fetch queue was before it had partitions (read off that version).
    const before = { 1: "{anura-31}", 2: "{anura-31}", 3: "{anura-9}", 4: "{anura-32}" };
    for (const [partitions, prefix] of Object.entries(before)) {
      const downloads = placeQueues("{anura}", Number(partitions)).filter((p) => p.job === "recording.fetch");
      expect(downloads.map((p) => p.queueName)[0], partitions).toBe("recording.fetch");
      expect(downloads[0]?.prefix, partitions).toBe(prefix);
      expect(downloads, partitions).toHaveLength(Number(partitions));
    }
  });

  // That every event and download of a call lands in its partition is checked end to end (cluster-failover.test.ts).
  it("calls spread evenly over the partitions", () => {
    const counts = [0, 0, 0];
    for (let i = 0; i < 3000; i++) {
      const partition = partitionOf(`1759${String(i * 7919).padStart(8, "0")}`, 3);
      counts[partition] = (counts[partition] ?? 0) + 1;
    }
    for (const count of counts) expect(count).toBeGreaterThan(800);
    expect(partitionOf("anything", 1)).toBe(0);
  });
});
