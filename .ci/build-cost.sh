#!/usr/bin/env bash
# What the generated crate costs its users to build, for one or more checkouts of this repo, in
# one run (compare ratios; the machine is shared):
#   - `cargo build -p bitrix24 --features full` and `--features crm`, the crate alone (its
#     dependencies already built), wall time and peak memory of the build (the largest single
#     process: GNU time's %M; cargo runs two compilers at once on two cores);
#   - `cargo check` of a small user crate (`crm`) after touching one line of its own code.
# Usage: .ci/build-cost.sh CHECKOUT [CHECKOUT...]   (each a repo root; targets under /tmp)
set -euo pipefail
measure() { # label, then the command; prints wall seconds and peak RSS in MB
  local label=$1; shift
  /usr/bin/time -o /tmp/build-cost.time -f '%e %M' "$@" >/dev/null 2>/tmp/build-cost.err \
    || { echo "  $label: FAILED"; tail -n 20 /tmp/build-cost.err; return 1; }
  read -r secs kb </tmp/build-cost.time
  printf '  %-34s %7.1f s %7d MB\n' "$label" "$secs" "$((kb / 1024))"
}
for repo in "$@"; do
  repo=$(cd "$repo" && pwd)
  target="/tmp/build-cost-target-$(echo "$repo" | md5sum | cut -c1-8)"
  echo "$repo ($(git -C "$repo" rev-parse --short HEAD))"
  export CARGO_TARGET_DIR="$target"
  (cd "$repo" && cargo build -q -p bitrix24 --features full)            # dependencies, warm-up
  # The generated crates: bitrix24, and (since the split) bitrix24-types and one per group.
  packages=(-p bitrix24)
  for manifest in "$repo"/generated/types/Cargo.toml "$repo"/generated/groups/*/Cargo.toml; do
    [ -f "$manifest" ] && packages+=(-p "$(sed -n 's/^name = "\(.*\)"/\1/p' "$manifest" | head -1)")
  done
  for features in full crm; do
    (cd "$repo" && cargo clean -q "${packages[@]}")
    measure "build -p bitrix24 --features $features" cargo build -q --manifest-path "$repo/generated/Cargo.toml" --features "$features"
  done
  user="$target/user-crate"
  mkdir -p "$user/src"
  cat >"$user/Cargo.toml" <<TOML
[package]
name = "user-crate"
version = "0.1.0"
edition = "2021"
[dependencies]
bitrix24 = { path = "$repo/generated", features = ["crm"] }
[workspace]
TOML
  echo 'fn main() { let n = 1; println!("{n}"); }' >"$user/src/main.rs"
  (cd "$user" && cargo check -q)
  echo 'fn main() { let n = 2; println!("{n}"); }' >"$user/src/main.rs"
  measure "user crate: check after a one-line edit" cargo check -q --manifest-path "$user/Cargo.toml"
done
