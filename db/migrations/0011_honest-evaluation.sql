CREATE TABLE "evaluation_label_sets" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "evaluation_label_sets_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"name" text NOT NULL,
	"version" integer NOT NULL,
	"fingerprint" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "evaluation_labels" (
	"set_id" integer NOT NULL,
	"image_id" integer NOT NULL,
	"split" "split" NOT NULL,
	"label" smallint NOT NULL,
	CONSTRAINT "evaluation_labels_set_id_image_id_pk" PRIMARY KEY("set_id","image_id")
);
--> statement-breakpoint
ALTER TABLE "model_versions" ADD COLUMN "label_policy" text;--> statement-breakpoint
ALTER TABLE "model_versions" ADD COLUMN "train_fingerprint" jsonb;--> statement-breakpoint
ALTER TABLE "model_versions" ADD COLUMN "val_fingerprint" jsonb;--> statement-breakpoint
ALTER TABLE "model_versions" ADD COLUMN "config" jsonb;--> statement-breakpoint
ALTER TABLE "model_versions" ADD COLUMN "evaluation_label_set_id" integer;--> statement-breakpoint
ALTER TABLE "model_versions" ADD COLUMN "promotion" jsonb;--> statement-breakpoint
ALTER TABLE "model_versions" ADD COLUMN "demo" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "model_versions" ADD COLUMN "scoring_status" text DEFAULT 'pending' NOT NULL;--> statement-breakpoint
ALTER TABLE "model_versions" ADD COLUMN "scoring_error" text;--> statement-breakpoint
ALTER TABLE "evaluation_labels" ADD CONSTRAINT "evaluation_labels_set_id_evaluation_label_sets_id_fk" FOREIGN KEY ("set_id") REFERENCES "public"."evaluation_label_sets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluation_labels" ADD CONSTRAINT "evaluation_labels_image_id_images_id_fk" FOREIGN KEY ("image_id") REFERENCES "public"."images"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "evaluation_label_sets_name_idx" ON "evaluation_label_sets" USING btree ("name","version");--> statement-breakpoint
CREATE INDEX "evaluation_labels_split_idx" ON "evaluation_labels" USING btree ("set_id","split");--> statement-breakpoint
ALTER TABLE "model_versions" ADD CONSTRAINT "model_versions_evaluation_label_set_id_evaluation_label_sets_id_fk" FOREIGN KEY ("evaluation_label_set_id") REFERENCES "public"."evaluation_label_sets"("id") ON DELETE set null ON UPDATE no action;