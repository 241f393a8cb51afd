import { perFaceStrategy } from "./sampling-strategy";

/** Faces no person has labelled yet, oldest (smallest id) first. */
export const neverReviewed = perFaceStrategy(
  { name: "never-reviewed", description: "faces no person has labelled yet", evidence: "none" },
  (face) => (face.people.length === 0 ? -face.imageId : null),
);
