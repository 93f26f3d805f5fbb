# bench/lib.sh: the preamble that every script under bench/ shares. Source it, do not
# run it:
#
#   . "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
#   bench_init classifier              # ROOT, RESULTS, WORK; JDK 25 first on PATH
#   bench_module_classpath ofproto     # test-compiles ofproto, sets CP
#   bench_jmh_lock 0                   # JMH_LOCK=() unless JMH_IGNORE_LOCK=1
#   echo "machine load before the run: $(bench_load)"
#   java "${JMH_LOCK[@]}" -cp "$CP" org.openjdk.jmh.Main ...
#   bench_plot jmh "$RESULTS/x.json" "$RESULTS/x.png" --title "..."
#
# Python: `python3` first on PATH may be a Python without matplotlib (pyenv), so the
# scripts call Debian's /usr/bin/python3, for plots and for the standard-library
# helpers alike.

BENCH_PYTHON=/usr/bin/python3

# bench_init NAME: sets ROOT (the repository), RESULTS (bench/results, created) and
# WORK (a private /tmp/shunt-NAME.XXXXXX directory, removed at exit by an EXIT trap;
# a script that needs its own cleanup replaces the trap and removes $WORK itself),
# and puts JDK 25 first on PATH with JAVA_HOME exported (scripts/env.sh).
bench_init() {
  local name=$1
  ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
  . "$ROOT/scripts/env.sh"
  shunt_find_jdk
  RESULTS="$ROOT/bench/results"
  mkdir -p "$RESULTS"
  bench_workdir "$name"
}

# bench_workdir NAME: only the WORK part of bench_init, for scripts that run no Java.
bench_workdir() {
  WORK=$(mktemp -d "/tmp/shunt-$1.XXXXXX")
  trap 'rm -rf "$WORK"' EXIT
}

# bench_module_classpath MODULE: compiles MODULE's main and test classes (with the
# modules it needs; JMH's generator runs in the test compile) and sets CP to its
# test-classes, classes and test-scope dependencies, as absolute paths. The
# dependency list goes to $WORK/MODULE-classpath.txt. Maven runs quiet: only errors
# are printed.
bench_module_classpath() {
  local module=$1 cpfile="$WORK/$1-classpath.txt"
  (cd "$ROOT" && ./mvnw -B -q -pl "$module" -am test-compile)
  (cd "$ROOT" && ./mvnw -B -q -pl "$module" dependency:build-classpath \
      -Dmdep.includeScope=test -Dmdep.outputFile="$cpfile")
  CP="$ROOT/$module/target/test-classes:$ROOT/$module/target/classes:$(cat "$cpfile")"
}

# bench_jmh_lock DEFAULT: sets the array JMH_LOCK to the JVM option that lets JMH run
# while another JMH holds /tmp/jmh.lock (-Djmh.ignoreLock=true) when JMH_IGNORE_LOCK
# (DEFAULT when unset) is 1, to nothing otherwise. On a machine shared with other
# benchmark runs, say beside the figures when the lock was ignored.
bench_jmh_lock() {
  JMH_LOCK=()
  if [ "${JMH_IGNORE_LOCK:-$1}" = 1 ]; then
    JMH_LOCK=(-Djmh.ignoreLock=true)
  fi
}

# bench_load: prints the load averages (1, 5, 15 min) and the core count, e.g.
# "1.52 1.31 1.20 on 2 cores", to be noted beside any figure quoted.
bench_load() {
  echo "$(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
}

# bench_matplotlib: makes sure Debian's python3 can import matplotlib, installing
# python3-matplotlib when it cannot (as root; otherwise says what to install).
bench_matplotlib() {
  "$BENCH_PYTHON" -c 'import matplotlib' 2>/dev/null && return 0
  if [ "$(id -u)" = 0 ]; then
    apt-get install -y -q python3-matplotlib >/dev/null
  else
    echo "bench: $BENCH_PYTHON cannot import matplotlib: apt-get install python3-matplotlib" >&2
    return 1
  fi
}

# bench_plot KIND IN.json OUT.png [OPTIONS]: draws a PNG with bench/plot.py (KIND is
# jmh, series or stacked, see plot.py) under Debian's python3; says so and returns 0 when
# bench/plot.py is absent (the JSON stays the result).
bench_plot() {
  if [ ! -f "$ROOT/bench/plot.py" ]; then
    echo "(bench/plot.py not present: no PNG for $2)"
    return 0
  fi
  bench_matplotlib
  "$BENCH_PYTHON" "$ROOT/bench/plot.py" "$@"
}
