import { loadEnv } from "../config/env";
import { openServices, type Services } from "./services";

/**
 * The web server's services, opened once per process on first use. The start command has filled in the database
 * and S3 addresses (see local-services.ts), so this connects to them rather than starting anything.
 */
const globalForServices = globalThis as unknown as { faceloopServices?: Promise<Services> };

export function getServices(): Promise<Services> {
  globalForServices.faceloopServices ??= openServices(loadEnv()).catch((error) => {
    globalForServices.faceloopServices = undefined;
    throw error;
  });
  return globalForServices.faceloopServices;
}
