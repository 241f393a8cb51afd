CREATE TABLE "retrain_schedule" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"after_labels" integer NOT NULL,
	"after_hours" real NOT NULL,
	"model_name" text NOT NULL,
	"config" jsonb NOT NULL,
	"updated_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "retrain_schedule_single_row" CHECK ("retrain_schedule"."id" = 1)
);
--> statement-breakpoint
CREATE TABLE "test_predictions" (
	"model_version_id" integer NOT NULL,
	"image_id" integer NOT NULL,
	"label" smallint NOT NULL,
	"probs" real[] NOT NULL,
	"predicted_label" smallint NOT NULL,
	CONSTRAINT "test_predictions_model_version_id_image_id_pk" PRIMARY KEY("model_version_id","image_id")
);
--> statement-breakpoint
ALTER TABLE "model_versions" ADD COLUMN "origin" text DEFAULT 'trained' NOT NULL;--> statement-breakpoint
ALTER TABLE "model_versions" ADD COLUMN "weight_bytes" bigint;--> statement-breakpoint
ALTER TABLE "model_versions" ADD COLUMN "details" jsonb;--> statement-breakpoint
ALTER TABLE "model_versions" ADD COLUMN "test_set_fingerprint" text;--> statement-breakpoint
ALTER TABLE "training_runs" ADD COLUMN "log" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "retrain_schedule" ADD CONSTRAINT "retrain_schedule_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "test_predictions" ADD CONSTRAINT "test_predictions_model_version_id_model_versions_id_fk" FOREIGN KEY ("model_version_id") REFERENCES "public"."model_versions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "test_predictions" ADD CONSTRAINT "test_predictions_image_id_images_id_fk" FOREIGN KEY ("image_id") REFERENCES "public"."images"("id") ON DELETE cascade ON UPDATE no action;