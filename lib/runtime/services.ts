import { type Env, databaseConfig, storageConfig } from "../config/env";
import { createDatabase, type Database } from "../db/client";
import { migrateDatabase } from "../db/migrate";
import { createObjectStore, type ObjectStore } from "../storage/object-store";
import { storageFailure } from "../storage/storage-failure";
import { provideLocalServices } from "./local-services";

/** What a faceloop process works with: the database and the object store, from configuration. */
export interface Services {
  env: Env;
  db: Database;
  store: ObjectStore;
  close(): Promise<void>;
}

/**
 * Connects to the configured database and S3 (starting the zero-setup local ones when nothing is configured and no
 * other faceloop process hosts them), applies migrations and makes sure the bucket exists.
 */
export async function openServices(env: Env): Promise<Services> {
  const local = await provideLocalServices(env);
  const filled = local.env;
  const database = await createDatabase(databaseConfig(filled));
  try {
    await migrateDatabase(database);
    const store = createObjectStore(storageConfig(filled));
    await store.ensureBucket().catch((error) => {
      // Storage down must not take the routes that do not need it (sign-in, sign-up, labels) down with it: carry
      // on, and let the calls that need storage fail (503/504) until it is back.
      if (!storageFailure(error)) throw error;
      console.error(`faceloop: storage is not reachable (${(error as Error).message}); going on without it for now`);
    });
    return {
      env: filled,
      db: database.db,
      store,
      async close() {
        await database.close();
        await local.stop();
      },
    };
  } catch (error) {
    await database.close();
    await local.stop();
    throw error;
  }
}
