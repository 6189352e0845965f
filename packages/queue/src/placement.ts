import { JOB_NAMES, type JobName } from "./registry.ts";

/** Where one queue's keys live: BullMQ's queue name and prefix (whose {hash tag} picks its cluster slot). */
export interface QueuePlacement {
  job: JobName;
  /** The job's name for partition 0 (the keys a single queue always had), `<job>.<n>` for the others. */
  queueName: string;
  prefix: string;
  partition: number;
}

const SLOTS = 16384;
const HASH_TAG = /\{([^}]+)\}/;

/**
 * Every queue's place. Without a hash tag in the prefix (one Redis) every queue keeps the prefix. With
 * one (a cluster), call.event's partitions get tags whose slots are spread evenly from the prefix's own
 * slot, so that a cluster whose masters own equal slot ranges (as `redis-cli --cluster create` makes
 * them) serves each partition from another master. recording.fetch's partition n sits beside
 * call.event's partition (n + 1) mod N (its partition 0 where the single queue always was), and task.create
 * beside call.event's partition 2, away from partition 0, whose slot also holds the prefix's other
 * keys (rate limits, locks); halfway round the slots when there are fewer partitions.
 */
export function placeQueues(prefix: string, partitions: number): QueuePlacement[] {
  const tag = HASH_TAG.exec(prefix)?.[1];
  const step = SLOTS / partitions;
  const base = tag === undefined ? 0 : keySlot(tag);
  const at = (offset: number) => (tag === undefined ? prefix : prefixNear(prefix, tag, (base + Math.round(offset)) % SLOTS));
  const beside = (partition: number) => (partitions > partition ? partition * step : SLOTS / 2);
  return JOB_NAMES.flatMap((job): QueuePlacement[] => {
    const name = (partition: number) => (partition === 0 ? job : `${job}.${partition}`);
    if (job === "call.event") {
      return Array.from({ length: partitions }, (_, partition) => ({
        job,
        queueName: name(partition),
        prefix: partition === 0 ? prefix : at(partition * step),
        partition,
      }));
    }
    if (job === "recording.fetch") {
      return Array.from({ length: partitions }, (_, partition) => ({
        job,
        queueName: name(partition),
        prefix: at(partition === 0 ? beside(1) : ((partition + 1) % partitions) * step),
        partition,
      }));
    }
    return [{ job, queueName: job, prefix: at(beside(2)), partition: 0 }];
  });
}

/** The partition of a call: its events, and its download, each go to the same queue every time. */
export function partitionOf(cdrid: string, partitions: number): number {
  return partitions === 1 ? 0 : crc16(cdrid) % partitions;
}

/** The prefix with its tag extended (`{anura}` → `{anura-17}`) to the first variant whose slot is near `target`. */
function prefixNear(prefix: string, tag: string, target: number): string {
  for (let n = 0; ; n++) {
    const candidate = `${tag}-${n}`;
    const distance = Math.abs(keySlot(candidate) - target);
    if (Math.min(distance, SLOTS - distance) <= 128) return prefix.replace(HASH_TAG, `{${candidate}}`);
  }
}

/** Redis Cluster's slot of a key (or of its hash tag): CRC16-XMODEM mod 16384. */
export function keySlot(key: string): number {
  const tag = HASH_TAG.exec(key)?.[1];
  return crc16(tag ?? key) % SLOTS;
}

function crc16(text: string): number {
  let crc = 0;
  for (const byte of Buffer.from(text)) {
    crc ^= byte << 8;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
}
