/**
 * Configuration from the environment, validated once at start-up.
 * Nothing else in the service reads process.env.
 */
import { z } from "zod";
import { CHANNELS, type Channel } from "../db/schema.js";
import { RULES, type RuleName } from "../routing/rules.js";
import { SERVICE_MODES, type ServiceMode } from "../shared/service-modes.js";

const list = z
  .string()
  .transform((v) => v.split(",").map((c) => c.trim()).filter(Boolean));

/** Documented development defaults; refused when NODE_ENV=production. */
export const DEV_IDENTITY_SECRET = "kefu-dev-identity-secret";
export const DEV_ADMIN_KEY = "kefu-dev-admin-key";

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

const boolish = z
  .enum(["true", "false", "1", "0", "yes", "no"])
  .transform((v) => v === "true" || v === "1" || v === "yes");

const EnvSchema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().min(1).default("127.0.0.1"),
    DATA_DIR: z.string().min(1).default("./data"),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// URL")
      .optional(),
    DATABASE_SCHEMA: z
      .string()
      .regex(/^[a-z_][a-z0-9_]{0,62}$/, "must be a lower-case SQL identifier")
      .default("public"),
    DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
    LOG_LEVEL: z.enum(LOG_LEVELS).default("info"),
    KEFU_IDENTITY_SECRET: z.string().min(16, "must be at least 16 characters").optional(),
    KEFU_ADMIN_KEY: z.string().min(16, "must be at least 16 characters").optional(),
    KEFU_SEED_ON_EMPTY: boolish.default(true),
    KEFU_TF_BACKEND: z.enum(["auto", "tensorflow", "wasm", "cpu"]).default("auto"),
    KEFU_SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).default(10_000),
    KEFU_MODELS_DIR: z.string().min(1).default("./models"),
    KEFU_KNOWLEDGE_DIR: z.string().min(1).default("./knowledge"),
    KEFU_MODEL_WATCH_MS: z.coerce.number().int().min(0).default(2_000),
    KEFU_KB_ANSWER: z.coerce.number().min(0).max(1).default(0.82),
    KEFU_KB_SUGGEST: z.coerce.number().min(0).max(1).default(0.67),
    KEFU_ESCALATE_ANGER: z.coerce.number().min(0).max(1).default(0.5),
    KEFU_ESCALATE_ANXIETY: z.coerce.number().min(0).max(1).default(0.7),
    KEFU_ESCALATE_REPEATS: z.coerce.number().int().min(2).max(20).default(3),
    KEFU_SERVICE_MODES: list
      .default([])
      .pipe(
        z.array(
          z
            .string()
            .regex(new RegExp(`^(${CHANNELS.join("|")})=(${SERVICE_MODES.join("|")})$`), `each item must be channel=mode, channels ${CHANNELS.join("/")}, modes ${SERVICE_MODES.join("/")}`),
        ),
      ),
    KEFU_ROUTING_ORDER: list
      .default([...RULES])
      .pipe(
        z
          .array(z.enum(RULES, { message: `each rule must be one of ${RULES.join(", ")}` }))
          .refine((r) => new Set(r).size === r.length, "a rule may appear only once")
          .refine((r) => r.length > 0, "at least one rule"),
      ),
    KEFU_RETURNING_DAYS: z.coerce.number().min(0).max(365).default(7),
    KEFU_ACCEPT_TIMEOUT_S: z.coerce.number().min(1).max(3600).default(30),
    KEFU_AGENT_PRESENCE_S: z.coerce.number().int().min(0).default(120),
    KEFU_AGENT_SESSION_HOURS: z.coerce.number().min(0.1).max(24 * 30).default(12),
    KEFU_ROUTING_TICK_MS: z.coerce.number().int().min(0).default(1_000),
    KEFU_CLUSTER_EVERY_MIN: z.coerce.number().int().min(0).default(60),
    KEFU_LEARNING_TICK_MS: z.coerce.number().int().min(0).default(5_000),
    KEFU_RATE_LIMIT_CLIENT: z.coerce.number().int().min(0).default(600),
    KEFU_RATE_LIMIT_CONVERSATION: z.coerce.number().int().min(0).default(30),
    KEFU_TRUST_PROXY: boolish.default(false),
    KEFU_STRANDED_AFTER_S: z.coerce.number().min(1).max(3600).default(10),
    KEFU_CORS_ORIGINS: list
      .default(["*"])
      .pipe(z.array(z.string().regex(/^(\*|https?:\/\/[^/\s]+)$/, "each origin must be * or like https://shop.example.com"))),
  })
  .superRefine((env, ctx) => {
    if (env.KEFU_KB_SUGGEST > env.KEFU_KB_ANSWER) {
      ctx.addIssue({ code: "custom", path: ["KEFU_KB_SUGGEST"], message: "must not be above KEFU_KB_ANSWER" });
    }
    if (env.NODE_ENV !== "production") return;
    if (!env.KEFU_IDENTITY_SECRET || env.KEFU_IDENTITY_SECRET === DEV_IDENTITY_SECRET) {
      ctx.addIssue({
        code: "custom",
        path: ["KEFU_IDENTITY_SECRET"],
        message: "must be set to a private value in production (the development default is refused)",
      });
    }
    if (!env.KEFU_ADMIN_KEY || env.KEFU_ADMIN_KEY === DEV_ADMIN_KEY) {
      ctx.addIssue({
        code: "custom",
        path: ["KEFU_ADMIN_KEY"],
        message: "must be set to a private value in production (the development default is refused)",
      });
    }
  });

export interface Config {
  env: "development" | "production" | "test";
  port: number;
  host: string;
  dataDir: string;
  database:
    | { kind: "pglite"; dataDir: string | null }
    | { kind: "postgres"; url: string; schema: string; poolMax: number };
  logLevel: (typeof LOG_LEVELS)[number];
  identitySecret: string;
  adminKey: string;
  seedOnEmpty: boolean;
  tfBackend: "auto" | "tensorflow" | "wasm" | "cpu";
  shutdownTimeoutMs: number;
  modelsDir: string;
  knowledgeDir: string;
  /** How often to look for a retrained model on disk; 0 turns watching off. */
  modelWatchMs: number;
  /** Knowledge scores (0..1) at which the bot answers, or suggests questions. */
  kbThresholds: { answer: number; suggest: number };
  /** When the bot hands over on its own (emotion intensities, repeats). */
  escalation: { anger: number; anxiety: number; repeats: number };
  /** How each channel is served (robot_first unless configured). */
  serviceModes: Record<Channel, ServiceMode>;
  routing: {
    order: RuleName[];
    returningDays: number;
    acceptTimeoutSeconds: number;
    /** An agent not heard from for this long is taken offline; 0 never. */
    presenceSeconds: number;
    sessionHours: number;
    /** How often each process looks for expired offers, silent agents, queue moves and due tickets; 0 off. */
    tickMs: number;
  };
  /** A stored message not answered this long (its process was killed) is answered by any process (ms). */
  strandedAfterMs: number;
  /** Origins whose pages may call the shopper routes (the widget on the shop's site). */
  corsOrigins: string[];
  /** Per minute: requests per client address on /v1, messages per conversation (0 off); trust X-Forwarded-For. */
  limits: { perClientPerMinute: number; perConversationPerMinute: number; trustProxy: boolean };
  learning: {
    /** Queue a clustering run this often (minutes); 0: only on request. */
    clusterEveryMinutes: number;
    /** How often each process looks for queued clustering runs and retrains; 0 off. */
    tickMs: number;
  };
}

export const DEFAULT_SERVICE_MODES: Record<Channel, ServiceMode> = { web: "robot_first", app: "robot_first", wechat: "robot_first", api: "robot_first" };

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

/** Validates an environment map (normally process.env) and returns the typed config, or throws ConfigError. */
export function loadConfig(source: Record<string, string | undefined>): Config {
  // Empty strings count as unset, as in most .env tooling.
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = EnvSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join(".") || "(env)"}: ${i.message}`));
  }
  const env = parsed.data;
  return {
    env: env.NODE_ENV,
    port: env.PORT,
    host: env.HOST,
    dataDir: env.DATA_DIR,
    database: env.DATABASE_URL
      ? { kind: "postgres", url: env.DATABASE_URL, schema: env.DATABASE_SCHEMA, poolMax: env.DATABASE_POOL_MAX }
      : { kind: "pglite", dataDir: `${env.DATA_DIR.replace(/\/+$/, "")}/pglite` },
    logLevel: env.LOG_LEVEL,
    identitySecret: env.KEFU_IDENTITY_SECRET ?? DEV_IDENTITY_SECRET,
    adminKey: env.KEFU_ADMIN_KEY ?? DEV_ADMIN_KEY,
    seedOnEmpty: env.KEFU_SEED_ON_EMPTY,
    tfBackend: env.KEFU_TF_BACKEND,
    shutdownTimeoutMs: env.KEFU_SHUTDOWN_TIMEOUT_MS,
    modelsDir: env.KEFU_MODELS_DIR,
    knowledgeDir: env.KEFU_KNOWLEDGE_DIR,
    modelWatchMs: env.KEFU_MODEL_WATCH_MS,
    kbThresholds: { answer: env.KEFU_KB_ANSWER, suggest: env.KEFU_KB_SUGGEST },
    escalation: { anger: env.KEFU_ESCALATE_ANGER, anxiety: env.KEFU_ESCALATE_ANXIETY, repeats: env.KEFU_ESCALATE_REPEATS },
    serviceModes: {
      ...DEFAULT_SERVICE_MODES,
      ...Object.fromEntries(env.KEFU_SERVICE_MODES.map((item) => item.split("=") as [Channel, ServiceMode])),
    },
    routing: {
      order: env.KEFU_ROUTING_ORDER,
      returningDays: env.KEFU_RETURNING_DAYS,
      acceptTimeoutSeconds: env.KEFU_ACCEPT_TIMEOUT_S,
      presenceSeconds: env.KEFU_AGENT_PRESENCE_S,
      sessionHours: env.KEFU_AGENT_SESSION_HOURS,
      tickMs: env.KEFU_ROUTING_TICK_MS,
    },
    learning: { clusterEveryMinutes: env.KEFU_CLUSTER_EVERY_MIN, tickMs: env.KEFU_LEARNING_TICK_MS },
    corsOrigins: env.KEFU_CORS_ORIGINS,
    strandedAfterMs: env.KEFU_STRANDED_AFTER_S * 1000,
    limits: { perClientPerMinute: env.KEFU_RATE_LIMIT_CLIENT, perConversationPerMinute: env.KEFU_RATE_LIMIT_CONVERSATION, trustProxy: env.KEFU_TRUST_PROXY },
  };
}
