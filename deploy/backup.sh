#!/usr/bin/env bash
# Back up Kotikanava: the PostgreSQL database (pg_dump, custom format) and the stored files
# (the local media folder with rsync, or the S3 bucket with `aws s3 sync`). See deploy/backup.md.
#
#   DATABASE_URL=postgres://... deploy/backup.sh [DESTINATION]
#
# DESTINATION defaults to $KOTIKANAVA_BACKUP_DIR/<UTC time> (KOTIKANAVA_BACKUP_DIR: ./backups).
# Files come from KOTIKANAVA_S3_BUCKET (with KOTIKANAVA_S3_ENDPOINT_URL and the AWS_* credentials
# the app uses) when set, else from KOTIKANAVA_MEDIA_ROOT (default: media/ next to deploy/).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
destination="${1:-${KOTIKANAVA_BACKUP_DIR:-./backups}/$(date -u +%Y%m%dT%H%M%SZ)}"

case "${DATABASE_URL:-}" in
  postgres://* | postgresql://*) ;;
  *) echo "backup.sh: DATABASE_URL must name the PostgreSQL database" >&2; exit 2 ;;
esac

mkdir -p "$destination/media"
# The database first: files only grow while it is copied (a version's files are stored before
# its row points at them), so the rows in the dump find their files in the copy that follows.
pg_dump --format=custom --no-owner --no-acl --file="$destination/database.dump" "$DATABASE_URL"

if [ -n "${KOTIKANAVA_S3_BUCKET:-}" ]; then
  aws s3 sync --only-show-errors ${KOTIKANAVA_S3_ENDPOINT_URL:+--endpoint-url "$KOTIKANAVA_S3_ENDPOINT_URL"} \
    "s3://$KOTIKANAVA_S3_BUCKET" "$destination/media"
else
  rsync -a "${KOTIKANAVA_MEDIA_ROOT:-$here/../media}/" "$destination/media/"
fi

(cd "$destination" && sha256sum database.dump > SHA256SUMS)
echo "$destination"
