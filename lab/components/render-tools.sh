#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# The rendering tools the outputs writer uses: headless Chromium (screenshots
# of real UIs, support/clients/browser.ts) and ffmpeg/ffprobe (the evidence
# video, support/engine/outputs/video.ts), both from Debian.
#
# No stamp: apt_ensure asks dpkg only, so a second run is offline and quick,
# and a package removed by hand is noticed and reinstalled.
# Output: /usr/bin/chromium, /usr/bin/ffmpeg, /usr/bin/ffprobe.
set -euo pipefail
COMPONENT=render-tools
# shellcheck source=../lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

apt_ensure chromium ffmpeg

# Installed is not enough: each binary must start (a broken shared library
# would otherwise surface only as a "not verified" screenshot or video).
/usr/bin/chromium --version >/dev/null 2>&1 || die "/usr/bin/chromium does not run" "apt-get install --reinstall chromium"
for bin in ffmpeg ffprobe; do
  "/usr/bin/$bin" -version >/dev/null 2>&1 || die "/usr/bin/$bin does not run" "apt-get install --reinstall ffmpeg"
done
log "$(/usr/bin/chromium --version 2>/dev/null | head -n1); $(/usr/bin/ffmpeg -version 2>/dev/null | head -n1 | cut -d' ' -f1-3)"
