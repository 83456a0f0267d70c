#!/bin/sh
# Fetches the workbench's front-end libraries from the npm registry (`npm pack`, no install, no
# build step) and copies their distributed files and licences into static/vendor/. Run it by hand
# to upgrade; the files it writes are committed, so neither the tests nor a user's browser ever
# fetch anything (the workbench works offline, on a court intranet).
#   sh crossexec/web/vendor.sh
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
OUT="$HERE/static/vendor"
PACKAGES="codemirror@5.65.21 cytoscape@3.35.0 dagre@0.8.5 cytoscape-dagre@2.5.0"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"
for p in $PACKAGES; do
  npm pack --silent "$p" >/dev/null
done
for p in $PACKAGES; do            # codemirror@5.65.21 -> codemirror-5.65.21.tgz, unpacked into codemirror/
  name=${p%@*}
  mkdir -p "$name" && tar xzf "$name-${p##*@}.tgz" -C "$name" --strip-components=1
done
rm -rf "$OUT/codemirror" "$OUT/cytoscape" "$OUT/dagre" "$OUT/cytoscape-dagre"
mkdir -p "$OUT/codemirror/mode/yaml" "$OUT/cytoscape" "$OUT/dagre" "$OUT/cytoscape-dagre"
cp codemirror/lib/codemirror.js codemirror/lib/codemirror.css codemirror/LICENSE "$OUT/codemirror/"
cp codemirror/mode/yaml/yaml.js "$OUT/codemirror/mode/yaml/"
cp cytoscape/dist/cytoscape.min.js cytoscape/LICENSE "$OUT/cytoscape/"
cp dagre/dist/dagre.min.js dagre/LICENSE "$OUT/dagre/"
cp cytoscape-dagre/cytoscape-dagre.js cytoscape-dagre/LICENSE "$OUT/cytoscape-dagre/"
echo "vendored: $PACKAGES into $OUT"
