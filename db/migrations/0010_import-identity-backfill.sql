-- Imported rows were identified by their position ('row 12' in fer2013, the path for msambare), so a second,
-- different file's rows looked "already imported". Identity is now the row's content: face hash, label and declared
-- split, numbered when one file repeats the same triple. Existing rows get the same refs a re-import would compute.
UPDATE "image_sources" SET "source_row" = substring("source_ref" from 5)::int
WHERE "source" = 'fer2013' AND "source_ref" ~ '^row [0-9]+$';--> statement-breakpoint
UPDATE "image_sources" AS s
SET "source_ref" = i."content_hash" || ':' || coalesce(s."original_label"::text, '-') || ':' || s."declared_split" || '#' || r.k
FROM (
  SELECT "id", row_number() OVER (
    PARTITION BY "source", "image_id", "original_label", "declared_split" ORDER BY "source_row", "id"
  ) AS k
  FROM "image_sources" WHERE "source" IN ('fer2013', 'msambare')
) AS r, "images" AS i
WHERE r."id" = s."id" AND i."id" = s."image_id";
