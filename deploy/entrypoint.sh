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
# Idle connections are kept longer than the other services' clients keep them (5 s) and than a load balancer's
# usual 60 s, so it is never the server that closes one as a request arrives on it (shared/http.py).
exec /app/.venv/bin/uvicorn --factory "services.${role}.main:create_app" --host 0.0.0.0 --port "$PORT" \
  --proxy-headers --no-access-log --timeout-keep-alive 75
