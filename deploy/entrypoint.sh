#!/bin/sh
# Runs one role of the system; every service applies its own migrations on start.
set -eu
role="${1:?usage: entrypoint.sh register|casework|notifications|returns|worker}"
case "$role" in
  casework) export PORT="${PORT:-8000}" ;;
  register) export PORT="${PORT:-8001}" ;;
  notifications) export PORT="${PORT:-8002}" ;;
  returns) export PORT="${PORT:-8003}" ;;
  worker) exec /app/.venv/bin/python -m workflows.worker ;;
  *) echo "unknown role: $role" >&2; exit 2 ;;
esac
exec /app/.venv/bin/uvicorn --factory "services.${role}.main:create_app" --host 0.0.0.0 --port "$PORT" \
  --proxy-headers --no-access-log
