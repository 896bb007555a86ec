#!/usr/bin/env bash
# Restore a backup made by deploy/backup.sh into the database and storage the environment names
# (the same variables as backup.sh). See deploy/backup.md.
#
#   DATABASE_URL=postgres://.../empty_db deploy/restore.sh BACKUP
#
# The database should be new and empty (createdb); into an existing one, tables in the backup
# are replaced. Files are copied into the media folder or bucket; nothing there is deleted.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
backup="${1:?usage: restore.sh BACKUP_FOLDER}"

case "${DATABASE_URL:-}" in
  postgres://* | postgresql://*) ;;
  *) echo "restore.sh: DATABASE_URL must name the PostgreSQL database" >&2; exit 2 ;;
esac
(cd "$backup" && sha256sum --check --quiet SHA256SUMS)

pg_restore --clean --if-exists --no-owner --no-acl --exit-on-error --single-transaction \
  --dbname="$DATABASE_URL" "$backup/database.dump"

if [ -n "${KOTIKANAVA_S3_BUCKET:-}" ]; then
  aws s3 sync --only-show-errors ${KOTIKANAVA_S3_ENDPOINT_URL:+--endpoint-url "$KOTIKANAVA_S3_ENDPOINT_URL"} \
    "$backup/media" "s3://$KOTIKANAVA_S3_BUCKET"
else
  media="${KOTIKANAVA_MEDIA_ROOT:-$here/../media}"
  mkdir -p "$media"
  rsync -a "$backup/media/" "$media/"
fi
echo "Restored $backup. Next: python manage.py migrate (if this code is newer than the backup)."
