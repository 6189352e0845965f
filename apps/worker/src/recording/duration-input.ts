/**
 * The recording's bytes as music-metadata reads them, one chunk at a time. A web stream, because
 * music-metadata copies out of its chunks; a Node stream's read(n) would first join buffered chunks
 * into a new Buffer per read, one more allocation of every byte (README, Performance: measure 6).
 */
export class DurationInput {
  readonly stream: ReadableStream<Uint8Array>;
  private controller!: ReadableStreamDefaultController<Uint8Array>;
  private stopped = false;
  private waiting: (() => void) | undefined;

  constructor() {
    this.stream = new ReadableStream<Uint8Array>(
      {
        start: (controller) => {
          this.controller = controller;
        },
        pull: () => this.release(),
        cancel: () => this.stop(),
      },
      { highWaterMark: 1 }, // one chunk queued: the reader holds back the copy, as backpressure did
    );
  }

  /** Queues a chunk; `next` runs once the reader wants more, or at once when nothing reads any longer. */
  write(chunk: Uint8Array, next: () => void): void {
    if (!this.stopped) this.controller.enqueue(chunk);
    if (this.stopped || (this.controller.desiredSize ?? 0) > 0) next();
    else this.waiting = next;
  }

  end(): void {
    if (!this.stopped) this.controller.close();
    this.stop();
  }

  fail(error: Error): void {
    if (!this.stopped) this.controller.error(error);
    this.stop();
  }

  /** The reader is done (or never came): later chunks are dropped, and a held one goes on. */
  stop(): void {
    this.stopped = true;
    this.release();
  }

  private release(): void {
    const next = this.waiting;
    this.waiting = undefined;
    next?.();
  }
}
