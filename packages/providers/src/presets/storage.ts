import type { Preset } from "../preset-types.ts";

export const s3PutObject: Preset = {
  id: "s3-put-object",
  providerType: "storage",
  provider: "Amazon S3 (or S3-compatible)",
  name: "S3: store the event as an object",
  description:
    "Writes each event as a JSON object with PutObject, signed with AWS Signature Version 4 (works with AWS S3 " +
    "and S3-compatible stores such as MinIO or Cloudflare R2). The keys are secrets; the bucket URL and region are parameters.",
  docsUrl: "https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html",
  sourceEvent: "order.created",
  destination: {
    url: "<<param.bucketUrl>>/<<param.keyPrefix>><<event.id>>.json",
    method: "PUT",
    bodyEncoding: "json",
  },
  auth: {
    type: "awsSigV4",
    region: "<<param.region>>",
    service: "s3",
    accessKeyIdSecret: "accessKeyId",
    secretAccessKeySecret: "secretAccessKey",
  },
  mapping: { id: "$.id", name: "$.name", time: "$.time", payload: "$.payload" },
  secrets: [
    {
      name: "accessKeyId",
      label: "Access key id",
      description: "The access key id of an IAM user or role allowed s3:PutObject on the bucket.",
    },
    {
      name: "secretAccessKey",
      label: "Secret access key",
      description: "Its secret access key; it signs requests and is never sent.",
    },
  ],
  parameters: [
    {
      name: "bucketUrl",
      label: "Bucket URL",
      format: "url",
      description:
        "The bucket's URL, virtual-hosted (https://BUCKET.s3.REGION.amazonaws.com) or path-style (https://minio.example.com/BUCKET).",
      example: "https://my-bucket.s3.us-east-1.amazonaws.com",
    },
    {
      name: "region",
      label: "Region",
      description: "The bucket's region (R2: auto).",
      example: "us-east-1",
      default: "us-east-1",
    },
    {
      name: "keyPrefix",
      label: "Object key prefix",
      description: "Prefix of each object key.",
      example: "events/",
      default: "events/",
    },
  ],
  sampleEvent: { name: "order.created", payload: { orderId: "ord_1001", total: 49.9, currency: "USD" } },
};
