import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  real,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";

/**
 * The whole domain's schema. Labels are canonical class indices (lib/emotions.ts: FER-2013 order 0..6) and -1 for
 * "not a face"; no other class order is ever stored.
 */

export const roleEnum = pgEnum("role", ["annotator", "researcher", "admin"]);
export const splitEnum = pgEnum("split", ["train", "val", "test"]);
export const imageStatusEnum = pgEnum("image_status", ["active", "not_face", "rejected"]);
export const runStatusEnum = pgEnum("run_status", ["queued", "running", "succeeded", "failed", "cancelled"]);
/** interrupted: the importing process died (found at a later start by its stale heartbeat); rerun to resume. */
export const jobStatusEnum = pgEnum("job_status", ["running", "succeeded", "failed", "interrupted"]);

const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();

// ---------------------------------------------------------------- people (next-auth's tables plus our roles)

export const users = pgTable("users", {
  id: uuid("id").primaryKey().defaultRandom(),
  name: text("name"),
  email: text("email").notNull().unique(),
  emailVerified: timestamp("email_verified", { withTimezone: true }),
  image: text("image"),
  passwordHash: text("password_hash"),
  role: roleEnum("role").notNull().default("annotator"),
  createdAt: createdAt(),
});

export const accounts = pgTable(
  "accounts",
  {
    userId: uuid("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
    type: text("type").notNull(),
    provider: text("provider").notNull(),
    providerAccountId: text("provider_account_id").notNull(),
    refreshToken: text("refresh_token"),
    accessToken: text("access_token"),
    expiresAt: integer("expires_at"),
    tokenType: text("token_type"),
    scope: text("scope"),
    idToken: text("id_token"),
    sessionState: text("session_state"),
  },
  (t) => [primaryKey({ columns: [t.provider, t.providerAccountId] }), index("accounts_user_idx").on(t.userId)],
);

export const sessions = pgTable("sessions", {
  sessionToken: text("session_token").primaryKey(),
  userId: uuid("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
  expires: timestamp("expires", { withTimezone: true }).notNull(),
});

export const verificationTokens = pgTable(
  "verification_tokens",
  {
    identifier: text("identifier").notNull(),
    token: text("token").notNull(),
    expires: timestamp("expires", { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.identifier, t.token] })],
);

// ---------------------------------------------------------------- images

/**
 * One row per distinct face (by content hash of its 2304 pixels). The pixels live in S3 as raw 48x48 bytes at
 * `storageKey` + `storageOffset` (shards of many faces, so the trainer reads the set in a few GETs and the app can
 * Range-GET one face).
 */
export const images = pgTable(
  "images",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    contentHash: text("content_hash").notNull(),
    split: splitEnum("split").notNull(),
    status: imageStatusEnum("status").notNull().default("active"),
    storageKey: text("storage_key").notNull(),
    storageOffset: integer("storage_offset").notNull(),
    /** How many sources point at the same pixels (1 = no duplicate). */
    sourceCount: integer("source_count").notNull().default(1),
    /**
     * People's labels on this image (annotations with an annotator). Kept by triggers on annotations (migration
     * 0002_labelling-queue), so it is right whoever writes annotations; the labelling queue orders and filters by it.
     */
    peopleLabelCount: smallint("people_label_count").notNull().default(0),
    uploadedBy: uuid("uploaded_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("images_content_hash_idx").on(t.contentHash),
    index("images_split_status_idx").on(t.split, t.status, t.id),
    index("images_storage_key_idx").on(t.storageKey),
    // The labelling queue's "unreviewed" order: fewest people labels first, then id.
    index("images_label_queue_idx")
      .on(t.peopleLabelCount, t.id)
      .where(sql`${t.status} = 'active'`),
  ],
);

/**
 * Where an image came from: a FER-2013 CSV row, a folder path, an upload. Duplicates (same pixels) are several
 * sources of one image. (source, sourceRef) is unique, which is what makes re-imports add nothing.
 */
export const imageSources = pgTable(
  "image_sources",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    imageId: integer("image_id").notNull().references(() => images.id, { onDelete: "cascade" }),
    source: text("source").notNull(),
    sourceRef: text("source_ref").notNull(),
    /** The split the source itself declared (the image's split is the most protected of its sources'). */
    declaredSplit: splitEnum("declared_split").notNull(),
    /** The label the source gave, canonical order; null where unknown. */
    originalLabel: smallint("original_label"),
    /** For row-based sources (FER-2013): the row in its file, which FER+ votes refer to. Not its identity. */
    sourceRow: integer("source_row"),
    importJobId: integer("import_job_id").references(() => importJobs.id, { onDelete: "set null" }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("image_sources_ref_idx").on(t.source, t.sourceRef),
    index("image_sources_image_idx").on(t.imageId),
    index("image_sources_row_idx").on(t.source, t.sourceRow),
  ],
);

export const uploadStatusEnum = pgEnum("upload_status", ["pending", "checking", "completed", "failed"]);

/**
 * A face an annotator uploads from the browser: signed for one exact size, PUT straight to S3 under
 * `uploads/tmp/<userId>/<id>.png`, then checked and stored like an imported face (the temporary object is deleted
 * either way). The row binds the server-generated id to its uploader and the signed size, and keeps the outcome.
 */
export const uploads = pgTable(
  "uploads",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
    storageKey: text("storage_key").notNull(),
    contentType: text("content_type").notNull(),
    /** The exact byte length signed into the presigned PUT. */
    contentLength: integer("content_length").notNull(),
    status: uploadStatusEnum("status").notNull().default("pending"),
    imageId: integer("image_id").references(() => images.id, { onDelete: "set null" }),
    error: text("error"),
    createdAt: createdAt(),
    /** The presigned PUT stops working at this time. */
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("uploads_user_idx").on(t.userId, t.createdAt), index("uploads_status_idx").on(t.status, t.expiresAt)],
);

// ---------------------------------------------------------------- labels

/**
 * One decision about one image: by a person (annotatorId) or by a named source such as "fer2013" (the original
 * label). `clientRequestId` makes saving idempotent: a retried request never doubles a label; imports use the
 * source row as that id, so a dataset's duplicate rows with conflicting labels keep both labels.
 */
export const annotations = pgTable(
  "annotations",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    imageId: integer("image_id").notNull().references(() => images.id, { onDelete: "cascade" }),
    annotatorId: uuid("annotator_id").references(() => users.id, { onDelete: "set null" }),
    source: text("source").notNull(),
    label: smallint("label").notNull(),
    durationMs: integer("duration_ms"),
    suggestedLabel: smallint("suggested_label"),
    suggestionModelVersionId: integer("suggestion_model_version_id").references(() => modelVersions.id, {
      onDelete: "set null",
    }),
    /** Shown without a suggestion on purpose, to measure unprompted choices. */
    blind: boolean("blind").notNull().default(false),
    clientRequestId: text("client_request_id"),
    createdAt: createdAt(),
  },
  (t) => [
    index("annotations_image_idx").on(t.imageId),
    index("annotations_annotator_idx").on(t.annotatorId, t.createdAt),
    uniqueIndex("annotations_annotator_image_idx")
      .on(t.annotatorId, t.imageId)
      .where(sql`${t.annotatorId} is not null`),
    uniqueIndex("annotations_client_request_idx").on(t.clientRequestId),
    check("annotations_label_range", sql`${t.label} between -1 and 6`),
  ],
);

/** Crowd vote counts imported from elsewhere (FER+: 10 voters), in that source's own column order. */
export const voteCounts = pgTable(
  "vote_counts",
  {
    imageId: integer("image_id").notNull().references(() => images.id, { onDelete: "cascade" }),
    source: text("source").notNull(),
    sourceRef: text("source_ref").notNull(),
    /** Votes per canonical class 0..6. */
    counts: smallint("counts").array().notNull(),
    /** The source's raw columns (FER+: neutral..NF), kept so nothing is lost in conversion. */
    rawCounts: smallint("raw_counts").array().notNull(),
    notFaceVotes: smallint("not_face_votes").notNull().default(0),
    totalVotes: smallint("total_votes").notNull(),
    importJobId: integer("import_job_id").references(() => importJobs.id, { onDelete: "set null" }),
  },
  (t) => [primaryKey({ columns: [t.source, t.sourceRef] }), index("vote_counts_image_idx").on(t.imageId)],
);

/**
 * Who holds which item in the labelling queue, until when. One row per image at most: a row whose `expiresAt` has
 * passed is free and is taken over in place by the next claim.
 */
export const labelLeases = pgTable(
  "label_leases",
  {
    imageId: integer("image_id").notNull().references(() => images.id, { onDelete: "cascade" }),
    annotatorId: uuid("annotator_id").notNull().references(() => users.id, { onDelete: "cascade" }),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    /** Decided when the item is claimed: show it without the model's suggestion. */
    blind: boolean("blind").notNull().default(false),
  },
  (t) => [primaryKey({ columns: [t.imageId] }), index("label_leases_annotator_idx").on(t.annotatorId, t.expiresAt)],
);

/** Items an annotator skipped: not served to them again until `expiresAt` (the end of the lease they gave up). */
export const labelSkips = pgTable(
  "label_skips",
  {
    annotatorId: uuid("annotator_id").notNull().references(() => users.id, { onDelete: "cascade" }),
    imageId: integer("image_id").notNull().references(() => images.id, { onDelete: "cascade" }),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.annotatorId, t.imageId] })],
);

/**
 * Suspected mislabels, ranked for the "mislabel" queue: how strongly the serving model (scope = its version id) or
 * FER+ crowd votes (scope 0: no serving model) disagree with the image's original label. A cache, rebuilt by
 * lib/labelling/mislabel-scores.ts, which replaces the whole table in one transaction.
 */
export const mislabelScores = pgTable(
  "mislabel_scores",
  {
    scope: integer("scope").notNull(),
    imageId: integer("image_id").notNull().references(() => images.id, { onDelete: "cascade" }),
    /** Strength of the disagreement, 0..1. */
    score: real("score").notNull(),
  },
  (t) => [primaryKey({ columns: [t.scope, t.imageId] }), index("mislabel_scores_rank_idx").on(t.scope, t.score.desc(), t.imageId)],
);

// ---------------------------------------------------------------- models and training

export const trainingRuns = pgTable(
  "training_runs",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    modelName: text("model_name").notNull(),
    /** The preset and overrides the run trains with (epochs, schedule, targets ...). */
    config: jsonb("config").notNull(),
    status: runStatusEnum("status").notNull().default("queued"),
    trigger: text("trigger").notNull().default("manual"),
    requestedBy: uuid("requested_by").references(() => users.id, { onDelete: "set null" }),
    workerId: text("worker_id"),
    attempts: integer("attempts").notNull().default(0),
    heartbeatAt: timestamp("heartbeat_at", { withTimezone: true }),
    cancelRequested: boolean("cancel_requested").notNull().default(false),
    /** Progress for the pages: phase, epoch, step, totals. */
    progress: jsonb("progress"),
    /** Per-epoch loss and accuracy for train and val. */
    curves: jsonb("curves"),
    lastCheckpointKey: text("last_checkpoint_key"),
    /** The worker's log lines for the run, newest last; trimmed to its last 64 KB (lib/runs/run-queue.ts). */
    log: text("log").notNull().default(""),
    error: text("error"),
    createdAt: createdAt(),
    startedAt: timestamp("started_at", { withTimezone: true }),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
  },
  (t) => [index("training_runs_queue_idx").on(t.status, t.createdAt)],
);

export const modelVersions = pgTable(
  "model_versions",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    modelName: text("model_name").notNull(),
    version: text("version").notNull(),
    runId: integer("run_id").references(() => trainingRuns.id, { onDelete: "set null" }),
    /** S3 prefix holding model.json and its weight shards; immutable once published. */
    storagePrefix: text("storage_prefix").notNull(),
    paramCount: integer("param_count"),
    /** Frozen-test metrics: accuracy, macro-F1, per-class precision/recall, confusion matrix, ECE. */
    testMetrics: jsonb("test_metrics"),
    valMetrics: jsonb("val_metrics"),
    publishedAt: timestamp("published_at", { withTimezone: true }),
    /** The one version the site serves suggestions from. */
    serving: boolean("serving").notNull().default(false),
    /** Label policy its train and val labels came from (lib/curation/label-policy.ts); null for the demo model. */
    labelPolicy: text("label_policy"),
    /** Counts and hash of the (image, label) pairs it was trained on and selected on (lib/evaluation/data-fingerprint.ts). */
    trainFingerprint: jsonb("train_fingerprint"),
    valFingerprint: jsonb("val_fingerprint"),
    /** The run's config and resolved preset. */
    config: jsonb("config"),
    /** The frozen label set its test metrics were measured against. */
    evaluationLabelSetId: integer("evaluation_label_set_id").references(() => evaluationLabelSets.id, {
      onDelete: "set null",
    }),
    /** Whether it was made the serving version when published, and why (or why not). */
    promotion: jsonb("promotion"),
    /** Synthetic demo model: taken out when real data arrives, never a bar to beat. */
    demo: boolean("demo").notNull().default(false),
    /** Scoring the pool after publishing: pending, succeeded, failed (the run itself still succeeded). */
    scoringStatus: text("scoring_status").notNull().default("pending"),
    scoringError: text("scoring_error"),
    /** "trained" here, or "imported" from outside (lib/model-versions/import-outside-model.ts). */
    origin: text("origin").notNull().default("trained"),
    /** Total bytes of model.json and its weight shards. */
    weightBytes: bigint("weight_bytes", { mode: "number" }),
    /** Where it came from: tfjs backend and training seconds, or the import's format and class order. */
    details: jsonb("details"),
    /**
     * Fingerprint of the (image, label) pairs it was tested on (lib/model-versions/test-predictions.ts): versions
     * with different fingerprints were measured on different tests and are not ranked together.
     */
    testSetFingerprint: text("test_set_fingerprint"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("model_versions_version_idx").on(t.modelName, t.version),
    uniqueIndex("model_versions_serving_idx")
      .on(t.serving)
      .where(sql`${t.serving}`),
  ],
);

/**
 * A named, versioned set of evaluation labels (FER-2013 originals, FER+ majority), fixed when created: people's later
 * labels never change it. A change in the underlying data makes a new version of the name, never an edit.
 */
export const evaluationLabelSets = pgTable(
  "evaluation_label_sets",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    /** "fer2013-original" or "ferplus-majority". */
    name: text("name").notNull(),
    version: integer("version").notNull(),
    /** Count and hash of its (image, label) pairs, per split. */
    fingerprint: jsonb("fingerprint").notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("evaluation_label_sets_name_idx").on(t.name, t.version)],
);

export const evaluationLabels = pgTable(
  "evaluation_labels",
  {
    setId: integer("set_id").notNull().references(() => evaluationLabelSets.id, { onDelete: "cascade" }),
    imageId: integer("image_id").notNull().references(() => images.id, { onDelete: "cascade" }),
    split: splitEnum("split").notNull(),
    label: smallint("label").notNull(),
  },
  (t) => [primaryKey({ columns: [t.setId, t.imageId] }), index("evaluation_labels_split_idx").on(t.setId, t.split)],
);

/** One model version's opinion of one image, for active learning and the item history. */
export const predictions = pgTable(
  "predictions",
  {
    modelVersionId: integer("model_version_id").notNull().references(() => modelVersions.id, { onDelete: "cascade" }),
    imageId: integer("image_id").notNull().references(() => images.id, { onDelete: "cascade" }),
    /** Class probabilities in canonical order. */
    probs: real("probs").array().notNull(),
    predictedLabel: smallint("predicted_label").notNull(),
    entropy: real("entropy").notNull(),
    margin: real("margin").notNull(),
    embedding: real("embedding").array(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.modelVersionId, t.imageId] }),
    index("predictions_entropy_idx").on(t.modelVersionId, t.entropy),
    index("predictions_margin_idx").on(t.modelVersionId, t.margin),
    index("predictions_image_idx").on(t.imageId),
  ],
);

// ---------------------------------------------------------------- curation (lib/curation)

/**
 * Each face's consensus label under each method ("majority", "dawid-skene", "soft"): label (null: none, e.g. judged
 * not a face), confidence 0..1 and the full distribution. Rewritten by a full recompute; faces whose labels changed
 * since are listed in consensus_dirty (by trigger) and refreshed before anyone reads (lib/curation/consensus).
 */
export const consensusLabels = pgTable(
  "consensus_labels",
  {
    method: text("method").notNull(),
    imageId: integer("image_id").notNull().references(() => images.id, { onDelete: "cascade" }),
    label: smallint("label"),
    confidence: real("confidence").notNull(),
    distribution: real("distribution").array().notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.method, t.imageId] })],
);

/** The fitted parameters of a consensus method (Dawid-Skene: annotators, confusion matrices, priors). */
export const consensusModels = pgTable("consensus_models", {
  method: text("method").primaryKey(),
  model: jsonb("model").notNull(),
  faces: integer("faces").notNull(),
  seconds: real("seconds").notNull(),
  fittedAt: timestamp("fitted_at", { withTimezone: true }).notNull().defaultNow(),
});

/** Faces whose labels or votes changed since their consensus was computed (filled by triggers). */
export const consensusDirty = pgTable("consensus_dirty", {
  imageId: integer("image_id")
    .primaryKey()
    .references(() => images.id, { onDelete: "cascade" }),
  markedAt: timestamp("marked_at", { withTimezone: true }).notNull().defaultNow(),
});

export const scoringRoundStatusEnum = pgEnum("scoring_round_status", ["running", "complete", "failed"]);

/**
 * A scoring round: K-fold cross-validation of a fast model over the train split, so every face gets probabilities
 * from a model that never trained on it (train faces from the fold that held them out, the others from every fold's
 * model averaged). Run by the trainer as a training run (config.job = "scoring-round").
 */
export const scoringRounds = pgTable(
  "scoring_rounds",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    runId: integer("run_id").references(() => trainingRuns.id, { onDelete: "set null" }),
    modelName: text("model_name").notNull(),
    folds: integer("folds").notNull(),
    status: scoringRoundStatusEnum("status").notNull().default("running"),
    /** Folds finished so far (resume skips them) and what each reached. */
    foldsDone: jsonb("folds_done").notNull().default([]),
    faces: integer("faces"),
    seconds: real("seconds"),
    createdAt: createdAt(),
    completedAt: timestamp("completed_at", { withTimezone: true }),
  },
  (t) => [index("scoring_rounds_status_idx").on(t.status, t.completedAt)],
);

/**
 * One round's out-of-sample opinion of one face. Train faces: `fold` is the fold that held them out, scored by the
 * model that did not train on them. Other faces (val, test, uploads): fold -1, probabilities averaged over `models`
 * fold models. The embedding comes from fold 0's model for every face (one space, for diversity); a row may hold
 * only the embedding until the face's own fold is scored (probs null).
 */
export const roundScores = pgTable(
  "round_scores",
  {
    roundId: integer("round_id").notNull().references(() => scoringRounds.id, { onDelete: "cascade" }),
    imageId: integer("image_id").notNull().references(() => images.id, { onDelete: "cascade" }),
    fold: smallint("fold").notNull(),
    models: smallint("models").notNull().default(0),
    probs: real("probs").array(),
    predictedLabel: smallint("predicted_label"),
    margin: real("margin"),
    entropy: real("entropy"),
    embedding: real("embedding").array(),
  },
  (t) => [primaryKey({ columns: [t.roundId, t.imageId] })],
);

/**
 * Each ranked strategy's order over the faces (0 first), computed from the latest complete scoring round and the
 * labels by lib/curation/strategies; the queue walks it. Rebuilt as a whole (one transaction).
 */
export const strategyRanks = pgTable(
  "strategy_ranks",
  {
    strategy: text("strategy").notNull(),
    imageId: integer("image_id").notNull().references(() => images.id, { onDelete: "cascade" }),
    rank: integer("rank").notNull(),
    roundId: integer("round_id"),
  },
  (t) => [primaryKey({ columns: [t.strategy, t.imageId] }), index("strategy_ranks_walk_idx").on(t.strategy, t.rank)],
);

/** The project's queue defaults, set by researchers and admins: one row (id 1). */
export const curationSettings = pgTable("curation_settings", {
  id: integer("id").primaryKey().default(1),
  defaultStrategy: text("default_strategy").notNull().default("unreviewed"),
  /** Weights of the "mix" strategy: { strategyName: weight }. */
  mix: jsonb("mix").notNull().default({}),
  updatedBy: uuid("updated_by").references(() => users.id, { onDelete: "set null" }),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

/**
 * A version's prediction for each face of the frozen test split, with the label it was scored against: every
 * number on the leaderboard, the version page and the comparison is recomputed from these rows.
 */
export const testPredictions = pgTable(
  "test_predictions",
  {
    modelVersionId: integer("model_version_id").notNull().references(() => modelVersions.id, { onDelete: "cascade" }),
    imageId: integer("image_id").notNull().references(() => images.id, { onDelete: "cascade" }),
    /** The evaluation label (canonical order). */
    label: smallint("label").notNull(),
    /** Class probabilities in canonical order. */
    probs: real("probs").array().notNull(),
    predictedLabel: smallint("predicted_label").notNull(),
  },
  (t) => [primaryKey({ columns: [t.modelVersionId, t.imageId] })],
);

/** The retrain schedule the trainer follows, edited by admins on /runs; one row (id 1), env defaults until then. */
export const retrainSchedule = pgTable(
  "retrain_schedule",
  {
    id: integer("id").primaryKey().default(1),
    enabled: boolean("enabled").notNull().default(true),
    afterLabels: integer("after_labels").notNull(),
    afterHours: real("after_hours").notNull(),
    modelName: text("model_name").notNull(),
    /** The run config scheduled runs get (preset, label policy ...). */
    config: jsonb("config").notNull(),
    updatedBy: uuid("updated_by").references(() => users.id, { onDelete: "set null" }),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check("retrain_schedule_single_row", sql`${t.id} = 1`)],
);

// ---------------------------------------------------------------- data movement

export const importJobs = pgTable("import_jobs", {
  id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
  sourcePath: text("source_path").notNull(),
  format: text("format").notNull(),
  status: jobStatusEnum("status").notNull().default("running"),
  /** Counts: rows read, images added, duplicates linked, already present, skipped by reason. */
  summary: jsonb("summary"),
  error: text("error"),
  startedAt: timestamp("started_at", { withTimezone: true }).notNull().defaultNow(),
  /** Touched after every batch; a running job silent for long was interrupted (process killed). */
  heartbeatAt: timestamp("heartbeat_at", { withTimezone: true }).notNull().defaultNow(),
  finishedAt: timestamp("finished_at", { withTimezone: true }),
});

export const snapshotFileStatusEnum = pgEnum("snapshot_file_status", ["pending", "building", "ready", "failed"]);

/**
 * A curated dataset frozen into a numbered version: the filter it was made with, its members (copied into
 * dataset_snapshot_items at creation, so later labels never change it), its counts and agreement figures. A
 * non-null `publicToken` makes its files downloadable by anyone holding the link.
 */
export const datasetSnapshots = pgTable(
  "dataset_snapshots",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    version: integer("version").notNull(),
    name: text("name").notNull(),
    /** The filter (lib/snapshots/snapshot-filter.ts) as given, defaults filled in. */
    filter: jsonb("filter").notNull(),
    /** Counts per split and class, agreement per class, what was left out and why. */
    stats: jsonb("stats").notNull(),
    imageCount: integer("image_count").notNull(),
    publicToken: text("public_token"),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("dataset_snapshots_version_idx").on(t.version), uniqueIndex("dataset_snapshots_public_idx").on(t.publicToken)],
);

/**
 * One image of a snapshot, with everything its exports need copied in (pixels' location, split, label, votes,
 * sources), so the files can be rebuilt identically whatever happens to the live tables. Rows never change
 * (a trigger refuses updates). `position` is the row order of every file of the snapshot.
 */
export const datasetSnapshotItems = pgTable(
  "dataset_snapshot_items",
  {
    snapshotId: integer("snapshot_id")
      .notNull()
      .references(() => datasetSnapshots.id, { onDelete: "cascade" }),
    position: integer("position").notNull(),
    imageId: integer("image_id").notNull(),
    contentHash: text("content_hash").notNull(),
    storageKey: text("storage_key").notNull(),
    storageOffset: integer("storage_offset").notNull(),
    split: splitEnum("split").notNull(),
    /** Canonical class 0..6 under the snapshot's label method. */
    label: smallint("label").notNull(),
    /** Share of all votes (crowd, people, the source's label) that chose `label`; null when only the source spoke. */
    confidence: real("confidence"),
    /** Probability per canonical class, for the soft method. */
    target: real("target").array(),
    originalLabel: smallint("original_label"),
    notFace: boolean("not_face").notNull().default(false),
    /** FER+ crowd votes in FER+'s own column order (neutral..NF). */
    crowdVotes: smallint("crowd_votes").array(),
    /** People's labels per canonical class 0..6, then not-a-face. */
    peopleVotes: smallint("people_votes").array().notNull(),
    /** `source:ref` of every source of these pixels. */
    sources: text("sources").array().notNull(),
  },
  (t) => [primaryKey({ columns: [t.snapshotId, t.position] })],
);

/** One downloadable file of a snapshot, written once to S3 (`storageKey`) by lib/snapshots/build-snapshot-files.ts. */
export const datasetSnapshotFiles = pgTable(
  "dataset_snapshot_files",
  {
    snapshotId: integer("snapshot_id")
      .notNull()
      .references(() => datasetSnapshots.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    status: snapshotFileStatusEnum("status").notNull().default("pending"),
    storageKey: text("storage_key").notNull(),
    sizeBytes: bigint("size_bytes", { mode: "number" }),
    sha256: text("sha256"),
    /** 0..1 while building. */
    progress: real("progress").notNull().default(0),
    error: text("error"),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    builtAt: timestamp("built_at", { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.snapshotId, t.name] }), index("dataset_snapshot_files_status_idx").on(t.status)],
);

export const auditLog = pgTable(
  "audit_log",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    actorId: uuid("actor_id").references(() => users.id, { onDelete: "set null" }),
    /** A process rather than a person: "importer", "trainer" ... */
    actorName: text("actor_name"),
    action: text("action").notNull(),
    subject: text("subject"),
    details: jsonb("details"),
    createdAt: createdAt(),
  },
  (t) => [index("audit_log_created_idx").on(t.createdAt)],
);

export type Split = (typeof splitEnum.enumValues)[number];
export type Role = (typeof roleEnum.enumValues)[number];
