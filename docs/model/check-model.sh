#!/usr/bin/env bash
# Model-checks the direct-link protocol (direct-link.pml) with spin:
#  1. safety: no assertion violation (GB gets each packet once, in order)
#     and no invalid end state (deadlock), with VNF death, and without;
#  2. liveness under weak fairness: 'delivered' and 'reverted';
#  3. three mutants of the protocol, each of which must FAIL: this shows
#     that the checks above can fail, and which rule each one needs.
# Exits non-zero on any unexpected result. Needs spin and gcc.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
command -v spin >/dev/null || { echo "check-model: spin is not installed (apt-get install spin)" >&2; exit 2; }

# run NAME MODEL_FILE SPIN_FLAGS CFLAGS PAN_ARGS -> prints "ERRORS STATES"
run() {
  local name=$1 model=$2 spinflags=$3 cflags=$4 panargs=$5 dir="$work/$1"
  mkdir -p "$dir" && cp "$model" "$dir/m.pml"
  (cd "$dir" && spin $spinflags -a m.pml >/dev/null && gcc -O2 $cflags -o pan pan.c 2>/dev/null \
     && ./pan $panargs > out.txt 2>&1 || true)
  local errors
  errors=$(grep -oE 'errors: [0-9]+' "$dir/out.txt" | awk '{print $2}')
  local states
  states=$(grep -oE '^ *[0-9]+ states, stored' "$dir/out.txt" | awk '{print $1}')
  echo "${errors:-?} ${states:-?}"
}

fail=0
expect() { # expect LABEL WANT(0|nonzero) RESULT
  local label=$1 want=$2 errors=${3%% *} states=${3##* }
  if { [ "$want" = 0 ] && [ "$errors" = 0 ]; } || { [ "$want" = fail ] && [ "$errors" != 0 ] && [ "$errors" != "?" ]; }; then
    printf 'ok    %-52s errors=%s states=%s\n' "$label" "$errors" "$states"
  else
    printf 'FAIL  %-52s errors=%s states=%s (wanted %s)\n' "$label" "$errors" "$states" "$want"
    fail=1
  fi
}

model="$here/direct-link.pml"
expect "safety, VNFs may die"                 0 "$(run safe  "$model" "" "-DNOCLAIM" "-m1000000")"
expect "safety, VNFs stay alive"              0 "$(run safe2 "$model" "-DNODEATH" "-DNOCLAIM" "-m1000000")"
sed 's/^#define N 4$/#define N 6/' "$model" > "$work/n6.pml"
expect "safety, 6 packets"                    0 "$(run safe6 "$work/n6.pml" "" "-DNOCLAIM" "-m2000000")"
expect "liveness: delivered (weak fairness)"  0 "$(run live1 "$model" "" "" "-a -f -N delivered -m1000000")"
expect "liveness: reverted (weak fairness)"   0 "$(run live2 "$model" "" "" "-a -f -N reverted -m1000000")"

mutate() { # mutate NAME FROM TO -> path of the mutant; fails if FROM is not in the model
  local out="$work/mutant-$1.pml"
  grep -qF -- "$2" "$model" || { echo "check-model: mutant $1: pattern not found: $2" >&2; exit 2; }
  python3 -c 'import sys; s=open(sys.argv[1]).read(); open(sys.argv[4],"w").write(s.replace(sys.argv[2],sys.argv[3],1))' \
    "$model" "$2" "$3" "$out"
  echo "$out"
}
m=$(mutate no-fence ':: !onlink && fenced && brx_head >= fence ->' ':: !onlink && switched ->')
expect "mutant: B reads L without waiting for the fence" fail "$(run m1 "$m" "" "-DNOCLAIM" "-m1000000")"
m=$(mutate poll-past-switch ':: else -> limit = switch_pos' ':: else -> limit = t')
expect "mutant: S polls A.tx past the switch point"      fail "$(run m2 "$m" "" "-DNOCLAIM" "-m1000000")"
m=$(mutate early-resume '(!switched || (fenced && l_head == l_tail)) ->' '(!switched || fenced) ->')
expect "mutant: S resumes A.tx before B drained L"       fail "$(run m3 "$m" "" "-DNOCLAIM" "-m1000000")"

exit $fail
