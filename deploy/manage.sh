#!/bin/sh
# manage.py with the production environment file, as the systemd units run it:
#   sudo -u portal /srv/portal/deploy/manage.sh migrate
# PORTAL_ENV_FILE names another environment file (make prod-smoke uses its own). The file's values
# must not contain spaces, quotes or "$" (the generated secrets never do).
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
set -a
. "${PORTAL_ENV_FILE:-/etc/portal/portal.env}"
set +a
cd "$here"
exec "$here/.venv/bin/python" manage.py "$@"
