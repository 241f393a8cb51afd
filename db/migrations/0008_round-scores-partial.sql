ALTER TABLE "round_scores" ALTER COLUMN "probs" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "round_scores" ALTER COLUMN "predicted_label" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "round_scores" ALTER COLUMN "margin" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "round_scores" ALTER COLUMN "entropy" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "round_scores" ADD COLUMN "models" smallint DEFAULT 0 NOT NULL;