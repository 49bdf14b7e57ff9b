/**
 * What the console reads from the admin API, typed from the services that produce it (type-only
 * imports: nothing of the server is bundled), so a changed response shape fails `tsc` here.
 */
import type { Serialized } from "../../http/openapi.js";
import type { KnowledgeEntry } from "../../kb/entries.js";
import type { entryVersions, StoredEntry } from "../../kb/store.js";
import type { RetrainRow } from "../../learning/retrain.js";
import type { ClusterRow, getCluster, RunRow } from "../../learning/service.js";
import type { AgentProfile } from "../../routing/agents.js";
import type { ServiceStats } from "../../routing/stats.js";

export type { KnowledgeEntry, ServiceStats };

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export type Cluster = Serialized<ClusterRow>;
export type ClusterDetail = Serialized<Awaited<ReturnType<typeof getCluster>>>;
export type ClusterQuestion = ClusterDetail["questions"][number];
export type ClusterRun = Serialized<RunRow>;
export type Retrain = Serialized<RetrainRow>;

/** An entry as the admin API shows it (GET /v1/admin/kb/entries). */
export type Stored = Serialized<Omit<StoredEntry, "deleted">>;
export type EntryVersion = Serialized<Awaited<ReturnType<typeof entryVersions>>[number]>;
export type StoredWithHistory = Stored & { versions: EntryVersion[] };

export interface LoginResponse {
  token: string;
  expiresAt: string;
  agent: AgentProfile;
}

/** GET /v1/admin/nlu/evaluation. */
export interface Evaluation {
  model: { createdAt: string; metrics: Record<string, number> };
  report: {
    accuracy: number;
    macroF1: number;
    perLabel: Record<string, { precision: number; recall: number; f1: number; support: number }>;
    confusions: { gold: string; predicted: string; count: number }[];
    createdAt?: string;
    folds?: number;
    examples?: number;
  } | null;
}
