# Sourced by the other scripts: finds JDK 25 and exports JAVA_HOME.
# shunt needs Java 25 (the FFM API); the machine's default java may be older.
shunt_find_jdk() {
  local candidate
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*25*; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] || continue
    if "$candidate/bin/java" -version 2>&1 | grep -qE 'version "25'; then
      export JAVA_HOME="$candidate"
      export PATH="$JAVA_HOME/bin:$PATH"
      return 0
    fi
  done
  echo "shunt: no JDK 25 found (looked at \$JAVA_HOME, /usr/lib/jvm/temurin-25-jdk-amd64, /usr/lib/jvm/*25*)." >&2
  echo "shunt: install a JDK 25 (e.g. Temurin 25) and set JAVA_HOME to it." >&2
  return 1
}
