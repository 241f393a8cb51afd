-- Hand-written: a face whose labels or crowd votes change is marked for a consensus refresh, whoever writes them
-- (lib/curation/consensus refreshes marked faces before reading; a full recompute clears the marks). Statement-level
-- triggers with transition tables, so a bulk import marks its rows in one insert rather than one per row.
CREATE FUNCTION "mark_consensus_dirty_new"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO consensus_dirty (image_id) SELECT DISTINCT image_id FROM new_rows ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION "mark_consensus_dirty_old"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO consensus_dirty (image_id)
    SELECT DISTINCT o.image_id FROM old_rows o WHERE EXISTS (SELECT 1 FROM images i WHERE i.id = o.image_id)
    ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER "annotations_consensus_insert" AFTER INSERT ON "annotations"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "mark_consensus_dirty_new"();
--> statement-breakpoint
CREATE TRIGGER "annotations_consensus_update" AFTER UPDATE ON "annotations"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "mark_consensus_dirty_new"();
--> statement-breakpoint
CREATE TRIGGER "annotations_consensus_delete" AFTER DELETE ON "annotations"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "mark_consensus_dirty_old"();
--> statement-breakpoint
CREATE TRIGGER "vote_counts_consensus_insert" AFTER INSERT ON "vote_counts"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "mark_consensus_dirty_new"();
--> statement-breakpoint
CREATE TRIGGER "vote_counts_consensus_update" AFTER UPDATE ON "vote_counts"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "mark_consensus_dirty_new"();
--> statement-breakpoint
INSERT INTO "curation_settings" ("id") VALUES (1) ON CONFLICT DO NOTHING;
