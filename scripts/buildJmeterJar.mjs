// Build step: the JMeter function plugin, a Maven project (jmeter-bridge/pom.xml: JMeter 5.6.3
// APIs `provided`, Java 8 bytecode, JUnit 5 tests), copied into
//   dist/jmeter/mockjutsu-jmeter.jar           functions + META-INF/services (the one jar users drop into lib/ext)
//   dist/jmeter/mockjutsu-jmeter-launcher.jar  the code-built plan runner used by the tests and the benchmark
//                                              (jmeter-bridge/src/test/java/.../launcher; not for users)
//
//   node scripts/buildJmeterJar.mjs [--force]  required: fails when Maven or a JDK is missing
//   buildJmeterJar({ required: false })        from build.mjs: prints one line and skips instead
//
// Maven runs with -B -q; JMeter's jars and JUnit come from ~/.m2 (Maven Central the first time).
// MVN selects the Maven command (default `mvn` on the PATH).
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const BRIDGE = join(ROOT, 'jmeter-bridge');
const TARGET = join(BRIDGE, 'target');
export const JMETER_DIST = join(ROOT, 'dist', 'jmeter');
export const PLUGIN_JAR = join(JMETER_DIST, 'mockjutsu-jmeter.jar');
export const LAUNCHER_JAR = join(JMETER_DIST, 'mockjutsu-jmeter-launcher.jar');
/** The JMeter version the plugin is compiled and tested against (jmeter-bridge/pom.xml). */
export const JMETER_VERSION = '5.6.3';

/** JMeter's home for the tests and the benchmark: $JMETER_HOME, else what scripts/ci/install-jmeter.sh assembles. */
export function jmeterHome() {
  const home = process.env.JMETER_HOME || join(process.env.HOME || '/root', '.cache', 'mockjutsu', `jmeter-${JMETER_VERSION}`);
  return resolve(home);
}

const mvn = () => process.env.MVN || 'mvn';

function filesUnder(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...filesUnder(p));
    else out.push(p);
  }
  return out;
}

/** True when both jars are newer than every input (pom.xml, sources, tests, this script). */
function upToDate() {
  if (!existsSync(PLUGIN_JAR) || !existsSync(LAUNCHER_JAR)) return false;
  const inputs = [join(BRIDGE, 'pom.xml'), ...filesUnder(join(BRIDGE, 'src')), fileURLToPath(import.meta.url)];
  const newestInput = Math.max(...inputs.map((p) => statSync(p).mtimeMs));
  return Math.min(statSync(PLUGIN_JAR).mtimeMs, statSync(LAUNCHER_JAR).mtimeMs) > newestInput;
}

/** Why the jar cannot be built here, or null when it can. */
function missingPrerequisite() {
  const m = spawnSync(mvn(), ['-v'], { encoding: 'utf8' });
  if (m.error || m.status !== 0) return `Maven (${mvn()}) was not found`;
  const javac = spawnSync(process.env.JAVA_HOME ? join(process.env.JAVA_HOME, 'bin', 'javac') : 'javac', ['-version'], { encoding: 'utf8' });
  if (javac.error || javac.status !== 0) return 'javac (a JDK 9 or later) was not found';
  const version = /javac (\d+)(?:\.(\d+))?/.exec(`${javac.stdout}${javac.stderr}`);
  if (version && Number(version[1]) === 1) return `javac ${version[1]}.${version[2]} is too old (JDK 9 or later needed for --release 8)`;
  return null;
}

/**
 * Builds the plugin with Maven (`mvn -B -q package`: compile, JUnit tests, jars) and copies the
 * jars into dist/jmeter/, unless they are newer than all their inputs and `force` is not set.
 * Returns { pluginJar, launcherJar } or, when skipped (required false), null.
 */
export async function buildJmeterJar({ required = false, force = false } = {}) {
  const missing = missingPrerequisite();
  if (missing) {
    if (required) {
      throw new Error(`cannot build the mockjutsu JMeter plugin jar: ${missing}. It needs Maven and a JDK 9+ (apt-get install maven openjdk-17-jdk-headless).`);
    }
    console.log(`mockjutsu JMeter plugin jar skipped: ${missing}`);
    return null;
  }
  if (!force && upToDate()) {
    console.log(`mockjutsu JMeter plugin: ${relative(ROOT, PLUGIN_JAR)} is up to date`);
    return { pluginJar: PLUGIN_JAR, launcherJar: LAUNCHER_JAR };
  }
  const r = spawnSync(mvn(), ['-B', '-q', '-f', join(BRIDGE, 'pom.xml'), 'clean', 'package'], { cwd: BRIDGE, encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    const why = r.error ? r.error.message : `exit ${r.status}`;
    const message = `mvn package (jmeter-bridge/pom.xml) failed: ${why}\n${r.stdout ?? ''}${r.stderr ?? ''}`.trim();
    // The default build (npm test, npm install) goes on without the jar, except in CI; the
    // JMeter tests build it again, required, and fail with this message.
    if (required || process.env.CI === 'true') throw new Error(message);
    console.log(`mockjutsu JMeter plugin jar NOT built: ${message}`);
    return null;
  }
  mkdirSync(JMETER_DIST, { recursive: true });
  for (const [from, to] of [[join(TARGET, 'mockjutsu-jmeter.jar'), PLUGIN_JAR], [join(TARGET, 'mockjutsu-jmeter-tests.jar'), LAUNCHER_JAR]]) {
    rmSync(to, { force: true });
    copyFileSync(from, to);
  }
  console.log(`mockjutsu JMeter plugin: ${relative(ROOT, PLUGIN_JAR)} (+ ${relative(ROOT, LAUNCHER_JAR)}), JUnit tests passed`);
  return { pluginJar: PLUGIN_JAR, launcherJar: LAUNCHER_JAR };
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  buildJmeterJar({ required: true, force: process.argv.includes('--force') }).catch((err) => {
    console.error(err.message);
    process.exit(1);
  });
}
