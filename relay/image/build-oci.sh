#!/usr/bin/env bash
# Daemonless image build for CI: no Docker daemon and no registry needed. buildah with the vfs storage
# driver builds FROM scratch: the bundle of `npm run build:relay`, the build machine's Node runtime
# and the shared libraries it links (found with ldd), a passwd entry for the numeric non-root user.
# The result is an OCI archive (load it with `skopeo copy oci-archive:... docker-daemon:...` or push
# it with `buildah push`). relay/Dockerfile is the regular, distroless-based build of the same image.
#
#   relay/image/build-oci.sh [OUT.tar]      (default dist/dualauth-relay.oci.tar)
#   env TAG=localhost/dualauth-relay:ci      the local image name
#   env BUILDAH_STORAGE=/path                storage root (default: buildah's)
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:-$root/dist/dualauth-relay.oci.tar}
tag=${TAG:-localhost/dualauth-relay:ci}
b=(buildah --storage-driver vfs)
if [ -n "${BUILDAH_STORAGE:-}" ]; then b+=(--root "$BUILDAH_STORAGE" --runroot "$BUILDAH_STORAGE/run"); fi
node_bin=$(readlink -f "$(command -v node)")

(cd "$root" && node relay/build.mjs >/dev/null)

stage=$(mktemp -d)
ctr=""
cleanup() {
  rm -rf "$stage"
  if [ -n "$ctr" ]; then "${b[@]}" rm "$ctr" >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT

mkdir -p "$stage/nodejs/bin" "$stage/app" "$stage/etc" "$stage/tmp" "$stage/home/nonroot"
cp "$node_bin" "$stage/nodejs/bin/node"
# The dynamic loader and every library node links, at the same paths.
for lib in $(ldd "$node_bin" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }'); do
  mkdir -p "$stage$(dirname "$lib")"
  cp -L "$lib" "$stage$lib"
done
cp -R "$root/dist/relay/." "$stage/app/"
printf 'root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n' >"$stage/etc/passwd"
printf 'root:x:0:\nnonroot:x:65532:\n' >"$stage/etc/group"
chmod 1777 "$stage/tmp"
chown 65532:65532 "$stage/home/nonroot"
# Everything else belongs to root and is read-only for the relay: it writes nothing but its logs.
chmod -R go-w "$stage/app" "$stage/nodejs"

ctr=$("${b[@]}" from scratch)
"${b[@]}" copy "$ctr" "$stage/" / >/dev/null
"${b[@]}" config \
  --user 65532:65532 \
  --workingdir /app \
  --env NODE_ENV=production \
  --port 8080/tcp \
  --entrypoint '["/nodejs/bin/node", "/app/main.js"]' \
  --cmd '["start", "--config", "/etc/teleport-mattermost.toml"]' \
  --label org.opencontainers.image.title=dualauth-relay \
  --label "org.opencontainers.image.version=$(node -p "require('$root/package.json').version")" \
  "$ctr"
"${b[@]}" commit --quiet --timestamp 0 "$ctr" "$tag" >/dev/null
rm -f "$out"
"${b[@]}" push --quiet "$tag" "oci-archive:$out:$tag"
echo "$out"
