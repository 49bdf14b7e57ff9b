/**
 * A Server-Sent Events stream that stays up. While the browser retries by itself (it sends
 * Last-Event-ID, and the server replays what was missed) the stream reports `down`; when the
 * browser gives up (an error status), it is opened again after a pause with `?lastEventId=`.
 */
import type { LiveEvent } from "./types.js";

export type LiveState = "connecting" | "open" | "down";

export interface LiveHandlers {
  event(e: LiveEvent): void;
  state(state: LiveState): void;
  /** The stream is open again after being down: read anything a replay cannot give (REST state). */
  reopened?(): void;
  /** The server refused the stream for good (e.g. 404, or the agent token expired). */
  refused?(): void;
}

const MAX_PAUSE_MS = 30_000;

export class LiveStream {
  private source: EventSource | null = null;
  private lastId: string | null = null;
  private wasDown = false;
  private pause = 2000;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private closed = false;
  state: LiveState = "connecting";

  constructor(
    private readonly url: string,
    private readonly types: readonly string[],
    private readonly on: LiveHandlers,
    /** Called before re-opening after the browser gave up; false stops (e.g. the token is gone). */
    private readonly shouldRetry: () => Promise<boolean> = async () => true,
  ) {}

  open(): this {
    this.closed = false;
    const url = this.lastId ? `${this.url}${this.url.includes("?") ? "&" : "?"}lastEventId=${encodeURIComponent(this.lastId)}` : this.url;
    const source = new EventSource(url);
    this.source = source;
    this.set("connecting");
    source.onopen = () => {
      this.pause = 2000;
      this.set("open");
      if (this.wasDown) {
        this.wasDown = false;
        this.on.reopened?.();
      }
    };
    source.onerror = () => {
      if (this.closed) return;
      this.wasDown = true;
      this.set("down");
      if (source.readyState === EventSource.CLOSED) this.retryLater();
    };
    for (const type of this.types) {
      source.addEventListener(type, (raw) => {
        const m = raw as MessageEvent<string>;
        if (m.lastEventId) this.lastId = m.lastEventId;
        let event: LiveEvent;
        try {
          event = JSON.parse(m.data) as LiveEvent;
        } catch {
          return;
        }
        this.on.event(event);
      });
    }
    return this;
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.source?.close();
    this.source = null;
  }

  private retryLater(): void {
    this.source?.close();
    this.timer = setTimeout(async () => {
      if (this.closed) return;
      if (!(await this.shouldRetry().catch(() => true))) {
        this.close();
        this.on.refused?.();
        return;
      }
      this.open();
    }, this.pause);
    this.pause = Math.min(MAX_PAUSE_MS, this.pause * 2);
  }

  private set(state: LiveState): void {
    if (state === this.state) return;
    this.state = state;
    this.on.state(state);
  }
}
