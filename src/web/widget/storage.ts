/**
 * The shopper's conversation id survives reloads in localStorage, one per customer (and one for
 * a visitor who is not signed in). Labels of clicked buttons are kept with it, so a payload sent
 * earlier reads as what the shopper clicked when the transcript is shown again.
 */

export interface SavedConversation {
  id: string;
  labels: Record<string, string>;
}

const MAX_LABELS = 60;

export class ConversationStore {
  private readonly key: string;

  constructor(customerId: string | null) {
    this.key = `kefu:conversation:${customerId ?? "guest"}`;
  }

  load(): SavedConversation | null {
    try {
      const raw = localStorage.getItem(this.key);
      if (!raw) return null;
      const value = JSON.parse(raw) as Partial<SavedConversation>;
      return typeof value.id === "string" ? { id: value.id, labels: value.labels && typeof value.labels === "object" ? value.labels : {} } : null;
    } catch {
      // Storage can be disabled (private mode, policies): the widget then simply forgets on reload.
      return null;
    }
  }

  save(value: SavedConversation): void {
    const entries = Object.entries(value.labels);
    const labels = Object.fromEntries(entries.slice(Math.max(0, entries.length - MAX_LABELS)));
    try {
      localStorage.setItem(this.key, JSON.stringify({ id: value.id, labels }));
    } catch {
      /* see load() */
    }
  }

  clear(): void {
    try {
      localStorage.removeItem(this.key);
    } catch {
      /* see load() */
    }
  }
}
