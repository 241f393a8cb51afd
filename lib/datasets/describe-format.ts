import type { DatasetFormat } from "./types";

const CONTENT_NAMES = { fer2013: "FER-2013 CSV", ferplus: "FER+ votes CSV", folder: "msambare image folders" };
const CONTAINER_NAMES = {
  csv: "",
  gzip: "gzip'd",
  tar: "in a tar",
  "tar.gz": "in a tar.gz",
  zip: "in a zip",
  directory: "",
};

/** One line for logs and the import screen, e.g. `FER-2013 CSV in a tar.gz (fer2013/fer2013.csv)`. */
export function describeFormat(format: DatasetFormat): string {
  const container = CONTAINER_NAMES[format.container];
  const what =
    format.container === "gzip"
      ? `${container} ${CONTENT_NAMES[format.content]}`
      : `${CONTENT_NAMES[format.content]} ${container}`;
  const where =
    "entry" in format && format.entry ? format.entry : format.content === "folder" && format.root ? format.root : "";
  return `${what.trim()}${where ? ` (${where})` : ""}`;
}
