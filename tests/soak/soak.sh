#!/usr/bin/env bash
# The soak (issue 20): ppg-console's scripted user (--script-user --script-soak: create a project, a
# database and a connection, keep the string, write a .env, edit profiles, write the tree cache,
# rotate, search the whole account, delete the project) for MINUTES against a private ppg-sandbox
# injecting 20% faults (8% 503, 4% 429, 8% dropped connections; all unprocessed by the sandbox),
# with a private keyring. Prints: resident memory after the first minute (the baseline; the issue's
# 30-minute run uses five) and at the end, open file descriptors and sockets, activity entries still
# running when the user is idle, Qt warnings, and projects/databases/connections lost or doubled
# compared with the sandbox's own records. Run inside a D-Bus session with a keyring (./dev soak
# does that). Usage: soak.sh BUILD_DIR MINUTES; PPG_SOAK_KEEP=DIR keeps the console's and the
# sandbox's output there.
set -eu
BUILD=$1
MINUTES=${2:-30}
work=$(mktemp -d)
sandbox_pid=
console_pid=
cleanup() {
  [ -n "$console_pid" ] && kill "$console_pid" 2>/dev/null || true
  [ -n "$sandbox_pid" ] && kill "$sandbox_pid" 2>/dev/null && wait "$sandbox_pid" 2>/dev/null || true
  if [ -n "${PPG_SOAK_KEEP:-}" ]; then cp "$work"/console.* "$work"/sandbox.* "$PPG_SOAK_KEEP"/ 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

"$BUILD/bin/ppg-sandbox" --port 0 --data-dir "$work/sandbox" --ephemeral --token "ppg-soak-token=Soak" \
  --fault-5xx-rate 0.08 --fault-429-rate 0.04 --fault-drop-rate 0.08 >"$work/sandbox.out" 2>"$work/sandbox.err" &
sandbox_pid=$!
for _ in $(seq 1 900); do grep -q '^listening on ' "$work/sandbox.out" && break; sleep 0.1; done
url=$(sed -n 's/^listening on //p' "$work/sandbox.out")
conninfo=$(sed -n 's/^postgres: //p' "$work/sandbox.out")
[ -n "$url" ] || { cat "$work/sandbox.err" >&2; echo "soak: the sandbox did not start" >&2; exit 1; }

export XDG_CONFIG_HOME="$work/config" XDG_CACHE_HOME="$work/cache" QT_QPA_PLATFORM=offscreen
export QT_MESSAGE_PATTERN='%{type} %{category}: %{message}'
printf 'ppg-soak-token\n' | "$BUILD/bin/ppg-console" --store-token soak --api-url "$url" >/dev/null
"$BUILD/bin/ppg-console" --profile soak --script-user "$work/app.env" --script-prefix soak --script-soak \
  --script-minutes "$MINUTES" >"$work/console.out" 2>"$work/console.err" &
console_pid=$!

rss() { awk '/^VmRSS/ {print $2}' "/proc/$console_pid/status" 2>/dev/null || echo 0; }
fds() { { ls "/proc/$console_pid/fd" 2>/dev/null || true; } | wc -l; }
sockets() { { find "/proc/$console_pid/fd" -lname 'socket:*' 2>/dev/null || true; } | wc -l; }
echo "soak: $MINUTES min against $url with 20% faults"
sleep 5
rss_start=$(rss)
baseline_at=$((MINUTES >= 10 ? 300 : 60))
sleep $((baseline_at - 5))
rss_base=$(rss); fds_base=$(fds)
max_rss=$rss_base
while kill -0 "$console_pid" 2>/dev/null && ! grep -q '^script: script done' "$work/console.out"; do
  r=$(rss); f=$(fds); s=$(sockets)
  if [ "$r" -gt 0 ]; then
    rss_end=$r; fds_end=$f; sockets_end=$s
    if [ "$r" -gt "$max_rss" ]; then max_rss=$r; fi
  fi
  sleep 5
done
rc=0
wait "$console_pid" || rc=$?
console_pid=

rounds=$(grep -c '^script: round done' "$work/console.out" || true)
failed=$(grep -c '^script: failed' "$work/console.out" || true)
dialogs=$(grep -c '^script: dialog' "$work/console.out" || true)
failures=$({ grep '^script: failed' "$work/console.out" || true; } | sed 's/^script: failed \([a-zA-Z]*\): \(.\{0,70\}\).*/\1: \2/; s/soak-[0-9]*-[pdc]/NAME/g' | sort | uniq -c | sort -rn | head -6)
stuck=$(sed -n 's/^script: script done activity-running //p' "$work/console.out")
warnings=$(grep -c '^\(warning\|critical\|fatal\) ' "$work/console.err" || true)
echo "rounds: $rounds (failed steps: $failed, error dialogs dismissed: $dialogs), exit code $rc"
[ -z "$failures" ] || printf '%s\n' "$failures"
echo "resident memory: ${rss_start} KiB at start, ${rss_base} KiB after $((baseline_at / 60)) min, ${rss_end:-?} KiB at the end (max ${max_rss} KiB): growth $(( (${rss_end:-0} - rss_base) * 100 / (rss_base > 0 ? rss_base : 1) ))% after the baseline"
echo "file descriptors: ${fds_base} after $((baseline_at / 60)) min, ${fds_end:-?} at the end, of which sockets: ${sockets_end:-?}"
echo "activity entries still running when the user was done: ${stuck:-?}"
echo "Qt warnings: $warnings"
{ grep '^\(warning\|critical\|fatal\) ' "$work/console.err" || true; } | sed 's/[0-9a-f]\{8\}-[0-9a-f-]\{27\}/<id>/g' | sort | uniq -c | sort -rn | head -8

# Lost or doubled, against the sandbox's own records.
lost=0; doubled=0; extra=0
for kind in project database connection; do
  table=${kind}s
  created=$(sed -n "s/^script: created $kind [^ ]* //p" "$work/console.out" | sort)
  deleted_projects=$(sed -n 's/^script: deleted project [^ ]* //p' "$work/console.out" | sed 's/-p$//' | sort -u)
  deleted_databases=$(sed -n 's/^script: deleted database [^ ]* //p' "$work/console.out" | sort -u)
  # A project's default database is the service's doing (named by it, not created by a step).
  where="name LIKE 'soak-%'"
  [ "$kind" = database ] && where="$where AND NOT is_default"
  records=$(psql "$conninfo" -Atc "SELECT name FROM $table WHERE $where" | sort)
  deleted=$(sed -n "s/^script: deleted $kind [^ ]* //p" "$work/console.out" | sort -u)
  expected=$(for n in $created; do
    r=${n%-?}
    echo "$deleted_projects" | grep -qx "$r" || echo "$deleted_databases" | grep -qx "$r-d" \
      || echo "$deleted" | grep -qx "$n" || echo "$n"
  done | sort)
  d=$(printf '%s\n' "$records" | { grep -v '^$' || true; } | uniq -d | wc -l)
  l=$(comm -23 <(printf '%s\n' "$expected" | sort -u) <(printf '%s\n' "$records" | sort -u) | { grep -v '^$' || true; } | wc -l)
  x=$(comm -13 <(printf '%s\n' "$expected" | sort -u) <(printf '%s\n' "$records" | sort -u) | { grep -v '^$' || true; } | wc -l)
  echo "${table}: created $(printf '%s\n' "$created" | grep -vc '^$' || true), in the sandbox $(printf '%s\n' "$records" | grep -vc '^$' || true), lost $l, doubled $d, unexpected $x"
  lost=$((lost + l)); doubled=$((doubled + d)); extra=$((extra + x))
done
echo "lost: $lost, doubled: $doubled, unexpected: $extra"
[ "$rc" -eq 0 ] && [ "$lost" -eq 0 ] && [ "$doubled" -eq 0 ]
