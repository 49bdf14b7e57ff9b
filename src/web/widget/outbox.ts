/**
 * The shopper's messages go out one at a time, in the order they were written. A message that
 * gets no answer (network down, server unavailable) is marked and sent again once by itself when
 * the connection is back; if that fails too, the shopper gets a retry button. Later messages wait
 * behind it, so the bot never reads them out of order.
 */
import { ApiError } from "../shared/api.js";

export type OutgoingBody = { text: string } | { payload: string };

export type OutgoingStatus =
  /** On its way, or waiting behind an earlier message. */
  | "sending"
  /** No answer; will be sent again when the connection is back. */
  | "waiting"
  /** Failed twice; the shopper may retry. */
  | "failed"
  /** The server refused it (e.g. too long); retrying will not help. */
  | "rejected"
  | "sent";

export interface Outgoing {
  body: OutgoingBody;
  label: string;
  attempts: number;
  status: OutgoingStatus;
  /** Why the last attempt failed. */
  error?: unknown;
  /** Called on every status change (read `item.status`), with the server's reason for "rejected". */
  onStatus(item: Outgoing, reason?: string): void;
}

const PROBE_MS = 3000;

export class Outbox {
  private readonly queue: Outgoing[] = [];
  private busy = false;
  private paused = false;
  private probe: ReturnType<typeof setInterval> | null = null;

  constructor(
    private readonly deliver: (item: Outgoing) => Promise<void>,
    /** Whether the connection looks usable again (the event stream is open, the browser online). */
    private readonly connected: () => boolean,
  ) {}

  /** Queues a new message. */
  push(body: OutgoingBody, label: string, onStatus: Outgoing["onStatus"]): Outgoing {
    // Behind a message that is waiting for the connection, a new one waits too.
    const item: Outgoing = { body, label, attempts: 0, status: this.paused ? "waiting" : "sending", onStatus };
    this.queue.push(item);
    onStatus(item);
    void this.pump();
    return item;
  }

  /** The shopper pressed retry on a failed message. */
  retry(item: Outgoing): void {
    if (item.status !== "failed") return;
    this.set(item, "sending");
    this.queue.push(item);
    void this.pump();
  }

  /** The connection is back: send what was waiting. */
  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    this.stopProbe();
    void this.pump();
  }

  get waiting(): boolean {
    return this.paused;
  }

  private async pump(): Promise<void> {
    if (this.busy || this.paused) return;
    this.busy = true;
    try {
      while (this.queue.length > 0 && !this.paused) {
        const item = this.queue[0]!;
        this.set(item, "sending");
        try {
          await this.deliver(item);
          this.queue.shift();
          this.set(item, "sent");
        } catch (err) {
          item.attempts++;
          item.error = err;
          if (err instanceof ApiError && err.transient) {
            if (item.attempts === 1) {
              this.set(item, "waiting");
              this.paused = true;
              this.startProbe();
              break;
            }
            this.queue.shift();
            this.set(item, "failed");
            continue;
          }
          this.queue.shift();
          this.set(item, "rejected", err instanceof Error ? err.message : String(err));
        }
      }
    } finally {
      this.busy = false;
    }
  }

  private set(item: Outgoing, status: OutgoingStatus, reason?: string): void {
    if (item.status === status && !reason) return;
    item.status = status;
    item.onStatus(item, reason);
  }

  private startProbe(): void {
    this.stopProbe();
    this.probe = setInterval(() => {
      if (this.connected()) this.resume();
    }, PROBE_MS);
  }

  private stopProbe(): void {
    if (this.probe) clearInterval(this.probe);
    this.probe = null;
  }
}
