#!/usr/bin/env bash
# Assembles a runnable Apache JMeter 5.6.3 home from Maven Central (JMeter publishes its jars
# there; the binary .tgz is not reachable from CI machines):
#
#   bin/ApacheJMeter.jar            org.apache.jmeter:ApacheJMeter (NewDriver, the launcher)
#   bin/*.properties, log4j2.xml    the bin/ folder of org.apache.jmeter:ApacheJMeter_config
#   bin/jmeter, bin/jmeter-server   small POSIX scripts doing what JMeter's own scripts do
#   lib/ext/ApacheJMeter_*.jar      _core, _components, _functions, _http
#   lib/jorphan.jar, lib/*.jar      jorphan and every runtime dependency
#
# Idempotent: does nothing when the home is complete. Downloads go to ~/.m2 (Maven's default
# cache), so a second machine run costs no network. Prints the home on its last line.
#
#   scripts/ci/install-jmeter.sh [HOME_DIR]     (default: $JMETER_HOME, else ~/.cache/mockjutsu/jmeter-5.6.3)
set -euo pipefail

VERSION=5.6.3
here="$(cd "$(dirname "$0")" && pwd)"
home="${1:-${JMETER_HOME:-$HOME/.cache/mockjutsu/jmeter-$VERSION}}"
marker="$home/.mockjutsu-jmeter-$VERSION"

if [ -f "$marker" ] && [ -f "$home/bin/ApacheJMeter.jar" ] && [ -f "$home/lib/ext/ApacheJMeter_core.jar" ]; then
  echo "install-jmeter: JMeter $VERSION already assembled" >&2
  echo "$home"
  exit 0
fi

command -v mvn >/dev/null 2>&1 || { echo "install-jmeter: mvn (Maven) is needed" >&2; exit 1; }
command -v java >/dev/null 2>&1 || { echo "install-jmeter: java is needed" >&2; exit 1; }
command -v unzip >/dev/null 2>&1 || command -v jar >/dev/null 2>&1 \
  || { echo "install-jmeter: unzip or the JDK's jar tool is needed" >&2; exit 1; }

parent="$(dirname "$home")"
mkdir -p "$parent"
work="$(mktemp -d "$parent/.jmeter-$VERSION.XXXXXX")"
trap 'rm -rf "$work"' EXIT

echo "install-jmeter: copying JMeter $VERSION and its dependencies from Maven Central" >&2
mvn -B -q -f "$here/jmeter-home.pom.xml" \
  org.apache.maven.plugins:maven-dependency-plugin:3.6.1:copy-dependencies \
  -DincludeScope=runtime -DoutputDirectory="$work/all" >&2

mkdir -p "$work/bin" "$work/lib/ext" "$work/lib/junit"  # lib/junit: NewDriver logs a stack trace when it is missing
for jar in "$work"/all/*.jar; do
  name="$(basename "$jar")"
  case "$name" in
    ApacheJMeter-$VERSION.jar) mv "$jar" "$work/bin/ApacheJMeter.jar" ;;
    ApacheJMeter_config-$VERSION.jar) mv "$jar" "$work/config.jar" ;;
    ApacheJMeter_*-$VERSION.jar) mv "$jar" "$work/lib/ext/${name%-$VERSION.jar}.jar" ;;
    jorphan-$VERSION.jar) mv "$jar" "$work/lib/jorphan.jar" ;;
    *) mv "$jar" "$work/lib/$name" ;;
  esac
done
rmdir "$work/all"

# bin/: jmeter.properties, saveservice.properties, upgrade.properties, system.properties,
# user.properties, log4j2.xml, templates... as JMeter's distribution has them.
if command -v unzip >/dev/null 2>&1; then
  unzip -q -o "$work/config.jar" 'bin/*' -d "$work"
else
  (cd "$work" && jar xf config.jar bin)
fi
rm "$work/config.jar"
for f in jmeter.properties saveservice.properties upgrade.properties system.properties user.properties log4j2.xml; do
  [ -f "$work/bin/$f" ] || { echo "install-jmeter: bin/$f missing from ApacheJMeter_config" >&2; exit 1; }
done

# JMeter's own bin/jmeter does the same: java [JVM_ARGS] -jar ApacheJMeter.jar "$@".
cat > "$work/bin/jmeter" <<'SCRIPT'
#!/bin/sh
# Apache JMeter (assembled by mockjutsu's scripts/ci/install-jmeter.sh). JVM_ARGS / HEAP as in JMeter's script.
bin="$(cd "$(dirname "$0")" && pwd)"
: "${HEAP:=-Xms1g -Xmx1g -XX:MaxMetaspaceSize=256m}"
# shellcheck disable=SC2086
exec "${JAVA_HOME:+$JAVA_HOME/bin/}java" $HEAP $JVM_ARGS -jar "$bin/ApacheJMeter.jar" "$@"
SCRIPT
cat > "$work/bin/jmeter-server" <<'SCRIPT'
#!/bin/sh
# A remote JMeter engine (as JMeter's jmeter-server): SERVER_PORT (default 1099) is its RMI registry port.
bin="$(cd "$(dirname "$0")" && pwd)"
exec "$bin/jmeter" -Dserver_port="${SERVER_PORT:-1099}" -s -j jmeter-server.log "$@"
SCRIPT
chmod +x "$work/bin/jmeter" "$work/bin/jmeter-server"

# Check that it starts before calling it installed.
version="$(cd "$work/bin" && "${JAVA_HOME:+$JAVA_HOME/bin/}java" -jar ApacheJMeter.jar --version -j "$work/version.log" 2>&1 || true)"
rm -f "$work/version.log" "$work/bin/jmeter.log"
case "$version" in
  *"$VERSION"*) ;;
  *) echo "install-jmeter: the assembled JMeter does not start:" >&2; echo "$version" | tail -20 >&2; exit 1 ;;
esac
touch "$work/.mockjutsu-jmeter-$VERSION"

rm -rf "$home"
mv "$work" "$home"
trap - EXIT
echo "install-jmeter: JMeter $VERSION assembled in $home" >&2
echo "$home"
