export type Trigger = "START" | "TALK" | "END";

export interface CallScript {
  cdrid: string;
  campaignId: number;
  seconds: number;
  recordingUrl?: string;
  timeZone: string;
}

/** The three bodies Anura sends for one answered call, shaped like the spec's body template. */
export function anuraCallEvents(call: CallScript): { trigger: Trigger; body: Record<string, unknown> }[] {
  const dialedAt = new Date(Date.now() - (call.seconds + 5) * 1000);
  const common = {
    hookid: 1,
    hookname: "simulate-call",
    cdrid: call.cdrid,
    dialtime: wallClock(dialedAt, call.timeZone),
    direction: "inbound",
    // Reserved-looking numbers: a simulated call must never look like a real customer's.
    calling: "+5491100000000",
    called: "+5491100000001",
    accounttags: `campaign_${call.campaignId}`,
    queueagentname: "Agente 300",
    queueagentextension: "300",
    tenantid: 1,
    accountid: 1,
  };
  return [
    { trigger: "START", body: { ...common, hooktrigger: "START", status: "RINGING" } },
    { trigger: "TALK", body: { ...common, hooktrigger: "TALK", status: "ANSWER" } },
    {
      trigger: "END",
      body: {
        ...common,
        hooktrigger: "END",
        status: "ANSWER",
        duration: call.seconds + 5,
        billseconds: call.seconds,
        price: 0,
        wasrecorded: call.recordingUrl !== undefined,
        audio_file_mp3: call.recordingUrl ?? "",
      },
    },
  ];
}

/** Anura's dialtime: "YYYY-MM-DD HH:MM:SS" on the PBX's wall clock. */
function wallClock(date: Date, timeZone: string): string {
  return date.toLocaleString("sv-SE", { timeZone, hour12: false });
}
