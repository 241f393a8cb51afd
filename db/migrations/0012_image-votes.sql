-- Crowd votes per image, summed over the image's source rows: FER-2013 has faces that occur in several rows, and FER+
-- gives each row its own votes. Everything that reads votes reads them here, so a face's votes count once, merged.
create view image_votes as
select v.image_id, v.source,
  array[sum(v.counts[1]), sum(v.counts[2]), sum(v.counts[3]), sum(v.counts[4]),
        sum(v.counts[5]), sum(v.counts[6]), sum(v.counts[7])]::int[] as counts,
  sum(v.not_face_votes)::int as not_face_votes,
  sum(v.total_votes)::int as total_votes,
  count(*)::int as source_rows
from vote_counts v
group by v.image_id, v.source;
--> statement-breakpoint
-- The model seeded for the demo install (published without a run while only demo faces exist) is the demo model.
update model_versions set demo = true
where run_id is null and exists (select 1 from image_sources where source = 'demo');
--> statement-breakpoint
-- Versions published before scoring was tracked were scored as part of their run.
update model_versions set scoring_status = 'succeeded';
