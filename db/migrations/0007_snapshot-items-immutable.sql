-- A snapshot's members never change once made: refuse updates outright (deletes only come with the snapshot).
CREATE OR REPLACE FUNCTION dataset_snapshot_items_immutable() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'dataset snapshot items are immutable (snapshot %)', OLD.snapshot_id;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER dataset_snapshot_items_no_update BEFORE UPDATE ON dataset_snapshot_items
  FOR EACH ROW EXECUTE FUNCTION dataset_snapshot_items_immutable();
