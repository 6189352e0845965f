import { Job, type Queue } from "bullmq";

// BullMQ pushes a job at the wait list's head and a lifo one (call-event-lane.ts) at its tail, where
// workers take: [newest … oldest][oldest lifo … newest lifo]. Both oldest jobs sit where the two
// runs meet, found by halving (the lifo run is unbroken from the tail) in one atomic script.
const OLDEST_AT_THE_SEAM = `
local wait, prefix = KEYS[1], ARGV[1]
local n = redis.call('LLEN', wait)
local function lifoAt(i)
  local id = redis.call('LINDEX', wait, -i)
  local opts = id and redis.call('HGET', prefix .. id, 'opts')
  return opts and string.find(opts, '"lifo":true', 1, true) ~= nil
end
local low, high = 0, n
while low < high do
  local mid = math.floor((low + high + 1) / 2)
  if lifoAt(mid) then low = mid else high = mid - 1 end
end
local ids = {}
if low > 0 then table.insert(ids, redis.call('LINDEX', wait, -low)) end
if low < n then table.insert(ids, redis.call('LINDEX', wait, -(low + 1))) end
return ids`;

const COMMAND = "anuraOldestWaiting";
const defined = new WeakSet<object>();

/** The oldest job waiting in `queue` (lifo jobs included), or undefined when none waits. */
export async function oldestWaitingJob(queue: Queue): Promise<Job | undefined> {
  const client = await queue.backend.client;
  if (!defined.has(client)) {
    client.defineCommand(COMMAND, { numberOfKeys: 1, lua: OLDEST_AT_THE_SEAM, readOnly: true });
    defined.add(client);
  }
  const ids: string[] = await client.runCommand(COMMAND, [queue.toKey("wait"), queue.toKey("")]);
  const jobs = await Promise.all(ids.map((id) => Job.fromId(queue, id)));
  return jobs.filter((job) => job !== undefined).sort((a, b) => a.timestamp - b.timestamp)[0];
}
