import { hasRole, type Role } from "../auth/roles";
import type { Snapshot } from "./list-snapshots";
import { SNAPSHOT_FILES, type SnapshotFileName } from "./snapshot-file-names";

/** Researchers and admins download any snapshot; everyone else only public ones, through their public link. */
export const DOWNLOAD_ROLE: Role = "researcher";

export interface SnapshotFileView {
  name: SnapshotFileName;
  what: string;
  status: "pending" | "building" | "ready" | "failed";
  sizeBytes: number | null;
  sha256: string | null;
  progress: number;
  error: string | null;
  /** Where to download it, for those who may. */
  url: string | null;
}

export type SnapshotView = Omit<Snapshot, "files" | "publicToken" | "createdBy"> & {
  createdBy: string | null;
  files: SnapshotFileView[];
  /** Set for public snapshots: the link anyone can use (file name appended). */
  publicUrl: string | null;
  canDownload: boolean;
};

export function publicSnapshotPath(token: string, name?: SnapshotFileName): string {
  return `/api/datasets/public/${token}${name ? `/${name}` : ""}`;
}

/**
 * What a viewer may see of a snapshot: everyone sees its counts and files; download links only researchers and
 * admins, or anyone when it is public. Storage keys never leave the server.
 */
export function toSnapshotView(snapshot: Snapshot, viewer: { role: Role } | null): SnapshotView {
  const { files, publicToken, createdBy, ...rest } = snapshot;
  const privileged = hasRole(viewer, DOWNLOAD_ROLE);
  return {
    ...rest,
    createdBy: createdBy ? (createdBy.name ?? createdBy.email) : null,
    canDownload: privileged || publicToken !== null,
    publicUrl: publicToken ? publicSnapshotPath(publicToken) : null,
    files: files.map((file) => ({
      name: file.name,
      what: SNAPSHOT_FILES[file.name].what,
      status: file.status,
      sizeBytes: file.sizeBytes,
      sha256: file.sha256,
      progress: file.progress,
      error: file.error,
      url:
        file.status !== "ready"
          ? null
          : privileged
            ? `/api/datasets/snapshots/${snapshot.id}/files/${file.name}`
            : publicToken
              ? publicSnapshotPath(publicToken, file.name)
              : null,
    })),
  };
}
