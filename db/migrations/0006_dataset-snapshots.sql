CREATE TYPE "public"."snapshot_file_status" AS ENUM('pending', 'building', 'ready', 'failed');--> statement-breakpoint
CREATE TABLE "dataset_snapshot_files" (
	"snapshot_id" integer NOT NULL,
	"name" text NOT NULL,
	"status" "snapshot_file_status" DEFAULT 'pending' NOT NULL,
	"storage_key" text NOT NULL,
	"size_bytes" bigint,
	"sha256" text,
	"progress" real DEFAULT 0 NOT NULL,
	"error" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"built_at" timestamp with time zone,
	CONSTRAINT "dataset_snapshot_files_snapshot_id_name_pk" PRIMARY KEY("snapshot_id","name")
);
--> statement-breakpoint
CREATE TABLE "dataset_snapshot_items" (
	"snapshot_id" integer NOT NULL,
	"position" integer NOT NULL,
	"image_id" integer NOT NULL,
	"content_hash" text NOT NULL,
	"storage_key" text NOT NULL,
	"storage_offset" integer NOT NULL,
	"split" "split" NOT NULL,
	"label" smallint NOT NULL,
	"confidence" real,
	"target" real[],
	"original_label" smallint,
	"not_face" boolean DEFAULT false NOT NULL,
	"crowd_votes" smallint[],
	"people_votes" smallint[] NOT NULL,
	"sources" text[] NOT NULL,
	CONSTRAINT "dataset_snapshot_items_snapshot_id_position_pk" PRIMARY KEY("snapshot_id","position")
);
--> statement-breakpoint
CREATE TABLE "dataset_snapshots" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "dataset_snapshots_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"version" integer NOT NULL,
	"name" text NOT NULL,
	"filter" jsonb NOT NULL,
	"stats" jsonb NOT NULL,
	"image_count" integer NOT NULL,
	"public_token" text,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "dataset_snapshot_files" ADD CONSTRAINT "dataset_snapshot_files_snapshot_id_dataset_snapshots_id_fk" FOREIGN KEY ("snapshot_id") REFERENCES "public"."dataset_snapshots"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dataset_snapshot_items" ADD CONSTRAINT "dataset_snapshot_items_snapshot_id_dataset_snapshots_id_fk" FOREIGN KEY ("snapshot_id") REFERENCES "public"."dataset_snapshots"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dataset_snapshots" ADD CONSTRAINT "dataset_snapshots_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "dataset_snapshot_files_status_idx" ON "dataset_snapshot_files" USING btree ("status");--> statement-breakpoint
CREATE UNIQUE INDEX "dataset_snapshots_version_idx" ON "dataset_snapshots" USING btree ("version");--> statement-breakpoint
CREATE UNIQUE INDEX "dataset_snapshots_public_idx" ON "dataset_snapshots" USING btree ("public_token");