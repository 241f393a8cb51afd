/** The credentials and default bucket the test S3 server is started with (global setup, .ci/run). */
export const TEST_S3_BUCKET = "faceloop-test";
export const TEST_S3_CREDENTIALS = {
  accessKeyId: "faceloop-test",
  secretAccessKey: "faceloop-test-secret",
  region: "us-east-1",
};
