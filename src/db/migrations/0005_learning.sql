CREATE TABLE "cluster_runs" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"status" text NOT NULL,
	"trigger" text NOT NULL,
	"requested_by" text NOT NULL,
	"progress" jsonb,
	"questions" integer,
	"clusters" integer,
	"singletons" integer,
	"seconds" real,
	"error" text,
	"requested_at" timestamp with time zone NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "intent_examples" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"text" text NOT NULL,
	"intent" text NOT NULL,
	"cluster_id" bigint,
	"added_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "question_clusters" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"run_id" bigint,
	"status" text DEFAULT 'open' NOT NULL,
	"label" text NOT NULL,
	"keywords" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"representative" text NOT NULL,
	"size" integer NOT NULL,
	"messages" integer NOT NULL,
	"first_seen" timestamp with time zone,
	"last_seen" timestamp with time zone,
	"trend" jsonb NOT NULL,
	"cohesion" real NOT NULL,
	"members" jsonb NOT NULL,
	"suggestion" jsonb,
	"resolution" jsonb,
	"reviewed_by" text,
	"reviewed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rejected_questions" (
	"key" text PRIMARY KEY NOT NULL,
	"cluster_id" bigint,
	"rejected_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "retrain_jobs" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"status" text NOT NULL,
	"requested_by" text NOT NULL,
	"examples" integer,
	"current_macro_f1" real,
	"new_macro_f1" real,
	"message" text,
	"requested_at" timestamp with time zone NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "agents" ADD COLUMN "role" text DEFAULT 'agent' NOT NULL;--> statement-breakpoint
ALTER TABLE "unanswered_questions" ADD COLUMN "cluster_id" bigint;--> statement-breakpoint
ALTER TABLE "unanswered_questions" ADD COLUMN "reviewed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "unanswered_questions" ADD COLUMN "review_status" text;--> statement-breakpoint
CREATE INDEX "cluster_runs_status_idx" ON "cluster_runs" USING btree ("status","requested_at");--> statement-breakpoint
CREATE INDEX "question_clusters_status_idx" ON "question_clusters" USING btree ("status","messages");--> statement-breakpoint
CREATE INDEX "unanswered_cluster_idx" ON "unanswered_questions" USING btree ("cluster_id");--> statement-breakpoint
CREATE INDEX "unanswered_open_idx" ON "unanswered_questions" USING btree ("reviewed_at");