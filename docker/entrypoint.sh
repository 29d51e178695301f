#!/bin/sh
# votecheck api | worker | migrate | audit-verify
set -e
case "${1:-api}" in
  api) exec node --enable-source-maps dist/apps/api/src/main.js ;;
  worker) exec node --enable-source-maps dist/apps/worker/src/main.js ;;
  migrate) exec node dist/scripts/migrate.js ;;
  audit-verify) exec node dist/scripts/audit-verify.js ;;
  *) exec "$@" ;;
esac
