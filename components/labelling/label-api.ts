import type { ServingModelRef } from "@/lib/model-versions/serving-model-ref";

/** The labelling API as the browser sees it (see the route handlers under app/api/label and app/api/models). */

// The queues an annotator can pick (lib/labelling/label-strategies.ts has them all; these are the useful few).
export const STRATEGIES = [
  "unreviewed",
  "uncertain",
  "mislabel",
  "random",
  "mix",
  "label-issues-margin",
  "smallest-margin-diverse",
  "smallest-margin-balanced",
  "vote-entropy",
] as const;
export type Strategy = (typeof STRATEGIES)[number];

export interface QueueItem {
  imageId: number;
  imageUrl: string;
  leaseExpiresAt: string;
  /** Shown without a suggestion, to measure unprompted choices; decided by the server. */
  blind: boolean;
  /** Null for a blind item: nothing others said is sent until the annotator has decided. */
  labels: {
    /** The sources' labels (FER-2013 ...), canonical. */
    original: number[];
    /** FER+ crowd votes per canonical class. */
    ferPlus: number[] | null;
    /** Other annotators' labels per canonical class. */
    people: number[];
    notFace: number;
  } | null;
}

export interface QueueResponse {
  items: QueueItem[];
  servingModel: ServingModelRef | null;
}

export interface AnnotationBody {
  clientRequestId: string;
  imageId: number;
  label: number;
  durationMs: number;
  suggestedLabel: number | null;
  suggestionModelVersionId: number | null;
  blind: boolean;
}

/** An answer other than 2xx; `status` 0 when the request never got one (offline, server down). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

async function call<T>(url: string, init?: RequestInit): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, { credentials: "same-origin", cache: "no-store", ...init });
  } catch (error) {
    throw new ApiError(0, error instanceof Error ? error.message : "network error");
  }
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as { error?: string } | null;
    throw new ApiError(response.status, body?.error ?? `${response.status} ${response.statusText}`);
  }
  return (await response.json().catch(() => ({}))) as T;
}

const json = (method: string, body: unknown): RequestInit => ({
  method,
  headers: { "content-type": "application/json" },
  body: JSON.stringify(body),
});

export function fetchQueue(strategy: Strategy, count: number): Promise<QueueResponse> {
  return call<QueueResponse>(`/api/label/next?strategy=${strategy}&count=${count}`);
}

export async function fetchServingModel(): Promise<ServingModelRef | null> {
  try {
    return await call<ServingModelRef>("/api/models/serving");
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return null;
    throw error;
  }
}

export function postAnnotation(body: AnnotationBody): Promise<{ annotationId: number; duplicate: boolean }> {
  return call("/api/label/annotations", json("POST", body));
}

export function deleteAnnotation(clientRequestId: string): Promise<{ undone: boolean }> {
  return call(`/api/label/annotations/${encodeURIComponent(clientRequestId)}`, { method: "DELETE" });
}

/** Gives back every face the caller holds except `keep` (faces whose decision is still being sent). */
export function postRelease(keep: number[]): Promise<{ released: number }> {
  return call("/api/label/release", json("POST", { keep }));
}

export function postSkip(imageId: number): Promise<unknown> {
  return call("/api/label/skip", json("POST", { imageId }));
}
