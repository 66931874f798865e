#!/usr/bin/env bash
# Build the officer UI's GOV.UK Frontend assets into build/frontend/ (git-ignored):
# the styles compiled with a system font stack (GDS Transport is licensed for gov.uk only),
# plus the JS module and the images/manifest that the CSS and the page template refer to.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="${FRONTEND_BUILD_DIR:-$ROOT/build/frontend}"
cd "$ROOT"

if [ ! -d node_modules/govuk-frontend ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi

DIST="node_modules/govuk-frontend/dist/govuk"
rm -rf "$OUT.tmp"
mkdir -p "$OUT.tmp"
npx --no-install sass --no-source-map --style=compressed --quiet-deps --load-path=node_modules \
  services/casework/web/styles/casework.scss "$OUT.tmp/casework.min.css"
cp "$DIST/govuk-frontend.min.js" "$OUT.tmp/govuk-frontend.min.js"
mkdir -p "$OUT.tmp/assets"
cp -R "$DIST/assets/images" "$OUT.tmp/assets/images"
cp "$DIST/assets/manifest.json" "$OUT.tmp/assets/manifest.json"
if grep -q "GDS Transport" "$OUT.tmp/casework.min.css"; then
  echo "build_frontend: the compiled CSS still names GDS Transport" >&2
  exit 1
fi
rm -rf "$OUT"
mv "$OUT.tmp" "$OUT"
echo "frontend assets built in ${OUT#"$ROOT"/}"
