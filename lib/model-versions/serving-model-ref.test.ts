import { describe, expect, it } from "vitest";
import { isModelFileName, modelFileUrl, toServingModelRef } from "./serving-model-ref";

describe("serving model references", () => {
  it("points the browser at the version's model.json", () => {
    expect(toServingModelRef({ id: 7, modelName: "compact", version: "v1" })).toEqual({
      id: 7,
      modelName: "compact",
      version: "v1",
      modelJsonUrl: "/api/models/7/files/model.json",
    });
    expect(modelFileUrl(3, "group1-shard1of2.bin")).toBe("/api/models/3/files/group1-shard1of2.bin");
  });

  it("accepts only model.json and tfjs weight shards as file names", () => {
    for (const ok of ["model.json", "group1-shard1of1.bin", "group2-shard10of12.bin"])
      expect(isModelFileName(ok)).toBe(true);
    for (const bad of [
      "../model.json",
      "model.json/..",
      "weights.bin",
      "group1-shard1of1.bin.bak",
      "",
      "MODEL.JSON",
      "a/model.json",
    ]) {
      expect(isModelFileName(bad)).toBe(false);
    }
  });
});
