/** Files that archivers and file browsers add for themselves (macOS `__MACOSX/`, `._x`, `.DS_Store`), not content. */
export function isJunkPath(path: string): boolean {
  return path.split("/").some((part) => part.startsWith(".") || part === "__MACOSX" || part === "Thumbs.db");
}
