#!/bin/sh
# Run by minio-init (the mc image) on every `up`: the bucket, and the worker's own key with a policy
# that allows only that bucket's objects, so the apps never hold MinIO's root account.
set -eu
: "${S3_ACCESS_KEY:?set S3_ACCESS_KEY and S3_SECRET_KEY in .env: the worker key minio-init creates}"
: "${S3_SECRET_KEY:?set S3_SECRET_KEY in .env (at least 8 characters)}"
mc alias set local http://minio:9000 "$MINIO_ROOT_USER" "$MINIO_ROOT_PASSWORD" >/dev/null
mc mb --ignore-existing "local/$S3_BUCKET"
cat >/tmp/anura-worker.json <<JSON
{
  "Version": "2012-10-17",
  "Statement": [
    { "Effect": "Allow", "Action": ["s3:GetBucketLocation", "s3:ListBucket", "s3:ListBucketMultipartUploads"],
      "Resource": ["arn:aws:s3:::$S3_BUCKET"] },
    { "Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"],
      "Resource": ["arn:aws:s3:::$S3_BUCKET/*"] }
  ]
}
JSON
mc admin policy create local anura-worker /tmp/anura-worker.json
mc admin user add local "$S3_ACCESS_KEY" "$S3_SECRET_KEY"
mc admin policy attach local anura-worker --user "$S3_ACCESS_KEY" 2>/dev/null \
  || mc admin user info local "$S3_ACCESS_KEY" | grep -q anura-worker
echo "bucket $S3_BUCKET and the worker's key are ready"
