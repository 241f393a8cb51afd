CREATE TABLE "label_skips" (
	"annotator_id" uuid NOT NULL,
	"image_id" integer NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	CONSTRAINT "label_skips_annotator_id_image_id_pk" PRIMARY KEY("annotator_id","image_id")
);
--> statement-breakpoint
CREATE TABLE "mislabel_scores" (
	"scope" integer NOT NULL,
	"image_id" integer NOT NULL,
	"score" real NOT NULL,
	CONSTRAINT "mislabel_scores_scope_image_id_pk" PRIMARY KEY("scope","image_id")
);
--> statement-breakpoint
DROP INDEX "label_leases_annotator_idx";--> statement-breakpoint
ALTER TABLE "images" ADD COLUMN "people_label_count" smallint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "label_leases" ADD COLUMN "blind" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "label_skips" ADD CONSTRAINT "label_skips_annotator_id_users_id_fk" FOREIGN KEY ("annotator_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "label_skips" ADD CONSTRAINT "label_skips_image_id_images_id_fk" FOREIGN KEY ("image_id") REFERENCES "public"."images"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mislabel_scores" ADD CONSTRAINT "mislabel_scores_image_id_images_id_fk" FOREIGN KEY ("image_id") REFERENCES "public"."images"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "mislabel_scores_rank_idx" ON "mislabel_scores" USING btree ("scope","score" DESC NULLS LAST,"image_id");--> statement-breakpoint
CREATE INDEX "images_label_queue_idx" ON "images" USING btree ("people_label_count","id") WHERE "images"."status" = 'active';--> statement-breakpoint
CREATE INDEX "label_leases_annotator_idx" ON "label_leases" USING btree ("annotator_id","expires_at");--> statement-breakpoint
-- Hand-written (drizzle-kit does not model triggers): images.people_label_count follows the annotations that have an
-- annotator, whoever writes them. Imports (annotator_id null) never fire the function.
CREATE FUNCTION "count_people_labels"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' AND OLD.annotator_id IS NOT NULL THEN
    UPDATE images SET people_label_count = people_label_count - 1 WHERE id = OLD.image_id;
  END IF;
  IF TG_OP <> 'DELETE' AND NEW.annotator_id IS NOT NULL THEN
    UPDATE images SET people_label_count = people_label_count + 1 WHERE id = NEW.image_id;
  END IF;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER "annotations_people_count_insert" AFTER INSERT ON "annotations"
  FOR EACH ROW WHEN (NEW.annotator_id IS NOT NULL) EXECUTE FUNCTION "count_people_labels"();--> statement-breakpoint
CREATE TRIGGER "annotations_people_count_delete" AFTER DELETE ON "annotations"
  FOR EACH ROW WHEN (OLD.annotator_id IS NOT NULL) EXECUTE FUNCTION "count_people_labels"();--> statement-breakpoint
CREATE TRIGGER "annotations_people_count_update" AFTER UPDATE OF "annotator_id", "image_id" ON "annotations"
  FOR EACH ROW WHEN (OLD.annotator_id IS DISTINCT FROM NEW.annotator_id OR OLD.image_id <> NEW.image_id)
  EXECUTE FUNCTION "count_people_labels"();--> statement-breakpoint
UPDATE "images" SET "people_label_count" = c.n
  FROM (SELECT image_id, count(*) AS n FROM "annotations" WHERE annotator_id IS NOT NULL GROUP BY image_id) c
  WHERE "images"."id" = c.image_id;
--> statement-breakpoint
-- Hand-written: whether an image's lease is free as of *now*, not as of the calling statement's snapshot (a VOLATILE
-- plpgsql function takes a fresh snapshot per query under READ COMMITTED). The claim statement asks it right after
-- locking a candidate, so it passes over leases that concurrent claimers committed after it started instead of
-- losing the race at the lease insert (lib/labelling/queue-candidates.ts).
CREATE FUNCTION "label_lease_free"(image integer) RETURNS boolean LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  RETURN NOT EXISTS (SELECT 1 FROM label_leases WHERE image_id = image AND expires_at > now());
END $$;
