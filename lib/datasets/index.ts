export { DatasetError } from "./dataset-error";
export { describeFormat } from "./describe-format";
export { detectFormat } from "./detect-format";
export { openDataset } from "./open-dataset";
export { FACE_PIXELS, FACE_SIZE } from "./parse-pixels";
export type {
  DatasetFormat,
  DatasetReader,
  DatasetRecord,
  Fer2013Record,
  FerPlusRecord,
  FolderRecord,
  OpenDatasetOptions,
  Progress,
  SkipCode,
  SkipRecord,
  Split,
} from "./types";
