import { type Agent, request } from "node:http";
import { callEvents, type RecordedCall } from "./calls.ts";

/** Posts events the way Anura does and keeps score: what was sent, what was acknowledged (with its event id). */
export class Sender {
  sent = 0;
  readonly ackedIds: string[] = [];
  readonly refusals: string[] = [];
  /** Acknowledgements by where the ingester put the event: the queue, or the Postgres inbox. */
  readonly via = { queue: 0, inbox: 0 };
  private readonly baseUrls: string[];
  private readonly key: string;
  private next = 0;

  constructor(baseUrls: string[], key: string) {
    this.baseUrls = baseUrls;
    this.key = key;
  }

  get acked(): number {
    return this.ackedIds.length;
  }

  /** One delivery, to the ingesters in turn. A refusal is recorded, not retried: the test counts it. */
  async post(event: Record<string, unknown>): Promise<number> {
    const baseUrl = this.baseUrls[this.next++ % this.baseUrls.length];
    this.sent++;
    try {
      const res = await fetch(`${baseUrl}/webhook/anura/`, {
        method: "POST",
        headers: { "content-type": "application/json", "X-API-Key": this.key },
        body: JSON.stringify(event),
      });
      this.score(res.status, await res.text());
      return res.status;
    } catch (error) {
      this.refusals.push(String((error as Error).cause ?? error));
      return 0;
    }
  }

  /**
   * One delivery the ingester is in the middle of receiving until `rest` resolves: `received` resolves once
   * the server has parsed its headers (it answers "100 Continue"), the body is only sent after `rest`.
   */
  postInTwoParts(baseUrl: string, event: Record<string, unknown>, agent: Agent, rest: Promise<unknown>) {
    const body = Buffer.from(JSON.stringify(event));
    this.sent++;
    const req = request(`${baseUrl}/webhook/anura/`, {
      method: "POST",
      agent,
      headers: {
        "content-type": "application/json",
        "content-length": body.length,
        "X-API-Key": this.key,
        expect: "100-continue",
      },
    });
    req.flushHeaders();
    const received = new Promise<void>((done) => req.once("continue", () => done()));
    const answered = new Promise<number>((done) => {
      req.once("response", (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.once("end", () => {
          this.score(res.statusCode ?? 0, Buffer.concat(chunks).toString());
          done(res.statusCode ?? 0);
        });
      });
      req.once("error", (error) => {
        this.refusals.push(String(error));
        done(0);
      });
    });
    void Promise.all([received, rest]).then(() => req.end(body));
    return { received, answered };
  }

  private score(status: number, text: string) {
    let body: { event_id?: string; error?: string; accepted_via?: "queue" | "inbox" } = {};
    try {
      body = JSON.parse(text);
    } catch {}
    if (status >= 200 && status < 300 && body.event_id) {
      this.ackedIds.push(body.event_id);
      if (body.accepted_via) this.via[body.accepted_via]++;
    } else {
      this.refusals.push(`${status} ${body.error ?? text.slice(0, 80)}`);
    }
  }

  /** Each call's START, TALK and END in order, call i starting i × spacingMs after the first: steady load. */
  async drive(calls: RecordedCall[], spacingMs: number): Promise<void> {
    await Promise.all(
      calls.map(async (call, i) => {
        await sleep(i * spacingMs);
        for (const event of callEvents(call)) await this.post(event);
      }),
    );
  }

  /** Deliver every event in `events`, at most `parallel` at a time, in the order given. */
  async deliver(events: Array<Record<string, unknown>>, parallel: number): Promise<void> {
    let index = 0;
    await Promise.all(
      Array.from({ length: parallel }, async () => {
        while (index < events.length) await this.post(events[index++] as Record<string, unknown>);
      }),
    );
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
