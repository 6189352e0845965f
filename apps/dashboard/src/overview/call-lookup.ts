import { type Db, eventsForCall, findCall, findCallLog, findTask } from "@anura/db";

export type CallLookup = Awaited<ReturnType<typeof lookUpCall>>;

/** Everything stored about one call, from its raw events to AuditorIA's task. */
export async function lookUpCall(db: Db, cdrid: string) {
  const [events, call, callLog] = await Promise.all([eventsForCall(db, cdrid), findCall(db, cdrid), findCallLog(db, cdrid)]);
  const task = call?.taskUuid ? await findTask(db, call.taskUuid) : null;
  return {
    cdrid,
    events: events.map((event) => ({ id: event.id, trigger: event.trigger, receivedAt: event.receivedAt })),
    call,
    callLog,
    task,
  };
}
