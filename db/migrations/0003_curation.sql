CREATE TYPE "public"."scoring_round_status" AS ENUM('running', 'complete', 'failed');--> statement-breakpoint
CREATE TABLE "consensus_dirty" (
	"image_id" integer PRIMARY KEY NOT NULL,
	"marked_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "consensus_labels" (
	"method" text NOT NULL,
	"image_id" integer NOT NULL,
	"label" smallint,
	"confidence" real NOT NULL,
	"distribution" real[] NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "consensus_labels_method_image_id_pk" PRIMARY KEY("method","image_id")
);
--> statement-breakpoint
CREATE TABLE "consensus_models" (
	"method" text PRIMARY KEY NOT NULL,
	"model" jsonb NOT NULL,
	"faces" integer NOT NULL,
	"seconds" real NOT NULL,
	"fitted_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "curation_settings" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"default_strategy" text DEFAULT 'unreviewed' NOT NULL,
	"mix" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"updated_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "round_scores" (
	"round_id" integer NOT NULL,
	"image_id" integer NOT NULL,
	"fold" smallint NOT NULL,
	"probs" real[] NOT NULL,
	"predicted_label" smallint NOT NULL,
	"margin" real NOT NULL,
	"entropy" real NOT NULL,
	"embedding" real[],
	CONSTRAINT "round_scores_round_id_image_id_pk" PRIMARY KEY("round_id","image_id")
);
--> statement-breakpoint
CREATE TABLE "scoring_rounds" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "scoring_rounds_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"run_id" integer,
	"model_name" text NOT NULL,
	"folds" integer NOT NULL,
	"status" "scoring_round_status" DEFAULT 'running' NOT NULL,
	"folds_done" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"faces" integer,
	"seconds" real,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"completed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "strategy_ranks" (
	"strategy" text NOT NULL,
	"image_id" integer NOT NULL,
	"rank" integer NOT NULL,
	"round_id" integer,
	CONSTRAINT "strategy_ranks_strategy_image_id_pk" PRIMARY KEY("strategy","image_id")
);
--> statement-breakpoint
ALTER TABLE "consensus_dirty" ADD CONSTRAINT "consensus_dirty_image_id_images_id_fk" FOREIGN KEY ("image_id") REFERENCES "public"."images"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consensus_labels" ADD CONSTRAINT "consensus_labels_image_id_images_id_fk" FOREIGN KEY ("image_id") REFERENCES "public"."images"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "curation_settings" ADD CONSTRAINT "curation_settings_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "round_scores" ADD CONSTRAINT "round_scores_round_id_scoring_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."scoring_rounds"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "round_scores" ADD CONSTRAINT "round_scores_image_id_images_id_fk" FOREIGN KEY ("image_id") REFERENCES "public"."images"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scoring_rounds" ADD CONSTRAINT "scoring_rounds_run_id_training_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."training_runs"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "strategy_ranks" ADD CONSTRAINT "strategy_ranks_image_id_images_id_fk" FOREIGN KEY ("image_id") REFERENCES "public"."images"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "scoring_rounds_status_idx" ON "scoring_rounds" USING btree ("status","completed_at");--> statement-breakpoint
CREATE INDEX "strategy_ranks_walk_idx" ON "strategy_ranks" USING btree ("strategy","rank");