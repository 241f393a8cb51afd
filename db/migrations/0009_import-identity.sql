ALTER TYPE "public"."job_status" ADD VALUE 'interrupted';--> statement-breakpoint
ALTER TABLE "image_sources" ADD COLUMN "source_row" integer;--> statement-breakpoint
ALTER TABLE "import_jobs" ADD COLUMN "heartbeat_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
CREATE INDEX "image_sources_row_idx" ON "image_sources" USING btree ("source","source_row");