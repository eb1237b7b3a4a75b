// Build step: compiles the JMeter function plugin (jmeter-bridge/) into
//   dist/jmeter/mockjutsu-jmeter.jar           functions + META-INF/services (the one jar users drop into lib/ext)
//   dist/jmeter/mockjutsu-jmeter-launcher.jar  JmxLauncher (lets Debian's JMeter 2.13 open .jmx files) and the
//                                              code-built plan runner used by the tests and the benchmark
// with the JDK alone (javac --release 8, jar) against JMeter's own jars, so one jar loads on JMeter 2.13 to 5.6.
//
//   node scripts/buildJmeterJar.mjs [--force] required: fails when javac or JMeter is missing
//   buildJmeterJar({ required: false })      from build.mjs: prints one line and skips instead
//
// JMETER_HOME (default /usr/share/jmeter) selects the JMeter whose jars are compiled against.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const BRIDGE = join(ROOT, 'jmeter-bridge');
export const JMETER_DIST = join(ROOT, 'dist', 'jmeter');
export const PLUGIN_JAR = join(JMETER_DIST, 'mockjutsu-jmeter.jar');
export const LAUNCHER_JAR = join(JMETER_DIST, 'mockjutsu-jmeter-launcher.jar');

/** JMeter's home: $JMETER_HOME, else Debian's /usr/share/jmeter. */
export function jmeterHome() {
  return resolve(process.env.JMETER_HOME || '/usr/share/jmeter');
}

/** The JMeter jars the plugin is compiled against. */
export function jmeterCompileJars(home = jmeterHome()) {
  return [join(home, 'lib', 'ext', 'ApacheJMeter_core.jar'), join(home, 'lib', 'jorphan.jar')];
}

/** A JDK tool (javac, jar): from $JAVA_HOME/bin when set, else the PATH. */
function jdkTool(name) {
  const javaHome = process.env.JAVA_HOME;
  if (javaHome) {
    const candidate = join(javaHome, 'bin', name);
    if (existsSync(candidate)) return candidate;
  }
  return name;
}

function run(cmd, args, what) {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.error) throw new Error(`${what}: cannot run ${cmd}: ${r.error.message}`);
  if (r.status !== 0) {
    throw new Error(`${what} failed (exit ${r.status}): ${cmd} ${args.join(' ')}\n${r.stdout}${r.stderr}`.trim());
  }
  return r;
}

function filesUnder(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...filesUnder(p));
    else out.push(p);
  }
  return out;
}

/** True when both jars are newer than every input (sources, resources, this script, the JMeter jars). */
function upToDate(home) {
  if (!existsSync(PLUGIN_JAR) || !existsSync(LAUNCHER_JAR)) return false;
  const inputs = [
    ...filesUnder(join(BRIDGE, 'src')), ...filesUnder(join(BRIDGE, 'launcher')),
    fileURLToPath(import.meta.url), ...jmeterCompileJars(home),
  ];
  const newestInput = Math.max(...inputs.map((p) => statSync(p).mtimeMs));
  return Math.min(statSync(PLUGIN_JAR).mtimeMs, statSync(LAUNCHER_JAR).mtimeMs) > newestInput;
}

function javaSources(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...javaSources(p));
    else if (name.endsWith('.java')) out.push(p);
  }
  return out.sort();
}

/** Why the jar cannot be built here, or null when it can. */
function missingPrerequisite(home) {
  // --release needs javac 9 or later; the classes it writes still run on Java 8.
  const javac = spawnSync(jdkTool('javac'), ['-version'], { encoding: 'utf8' });
  if (javac.error || javac.status !== 0) return 'javac (JDK 9 or later) was not found';
  const version = /javac (\d+)(?:\.(\d+))?/.exec(`${javac.stdout}${javac.stderr}`);
  if (version && Number(version[1]) === 1) return `javac ${version[1]}.${version[2]} is too old (JDK 9 or later needed for --release 8)`;
  const jar = spawnSync(jdkTool('jar'), ['--version'], { encoding: 'utf8' });
  if (jar.error || jar.status !== 0) return 'the JDK `jar` tool was not found';
  const missing = jmeterCompileJars(home).filter((p) => !existsSync(p));
  if (missing.length) {
    return `JMeter jars not found (${missing.join(', ')}); install JMeter or set JMETER_HOME`;
  }
  return null;
}

/**
 * Builds dist/jmeter/mockjutsu-jmeter.jar and dist/jmeter/mockjutsu-jmeter-launcher.jar (unless
 * they are newer than all their inputs and `force` is not set).
 * Returns { pluginJar, launcherJar } or, when skipped (required false), null.
 */
export async function buildJmeterJar({ required = false, force = false } = {}) {
  const home = jmeterHome();
  const missing = missingPrerequisite(home);
  if (missing) {
    if (required) {
      throw new Error(`cannot build the mockjutsu JMeter plugin jar: ${missing}. `
        + `It needs a JDK 9+ (javac, jar) and JMeter (JMETER_HOME=${home}).`);
    }
    console.log(`mockjutsu JMeter plugin jar skipped: ${missing}`);
    return null;
  }
  if (!force && upToDate(home)) {
    console.log(`mockjutsu JMeter plugin: ${relative(ROOT, PLUGIN_JAR)} is up to date`);
    return { pluginJar: PLUGIN_JAR, launcherJar: LAUNCHER_JAR };
  }
  const javac = jdkTool('javac');
  const jar = jdkTool('jar');
  const classpath = jmeterCompileJars(home).join(delimiter);
  const work = mkdtempSync(join(tmpdir(), 'mockjutsu-jmeter-'));
  try {
    mkdirSync(JMETER_DIST, { recursive: true });

    // 1. the plugin: functions + ServiceLoader file (JMeter 5.x) -- class names hold ".functions." (2.13 scan)
    const pluginClasses = join(work, 'plugin');
    mkdirSync(pluginClasses, { recursive: true });
    run(javac, ['--release', '8', '-encoding', 'UTF-8', '-nowarn', '-cp', classpath, '-d', pluginClasses,
      ...javaSources(join(BRIDGE, 'src', 'main', 'java'))], 'javac (plugin)');
    cpSync(join(BRIDGE, 'src', 'main', 'resources'), pluginClasses, { recursive: true });
    rmSync(PLUGIN_JAR, { force: true });
    run(jar, ['cf', PLUGIN_JAR, '-C', pluginClasses, '.'], 'jar (plugin)');

    // 2. the launcher and the code-built plan runner (tests, benchmark, Debian 2.13 users)
    const launcherClasses = join(work, 'launcher');
    mkdirSync(launcherClasses, { recursive: true });
    run(javac, ['--release', '8', '-encoding', 'UTF-8', '-nowarn', '-cp', classpath, '-d', launcherClasses,
      ...javaSources(join(BRIDGE, 'launcher', 'src', 'main', 'java'))], 'javac (launcher)');
    rmSync(LAUNCHER_JAR, { force: true });
    run(jar, ['cfe', LAUNCHER_JAR, 'io.mockjutsu.jmeter.launcher.JmxLauncher', '-C', launcherClasses, '.'],
      'jar (launcher)');
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  console.log(`mockjutsu JMeter plugin: ${relative(ROOT, PLUGIN_JAR)} (+ ${relative(ROOT, LAUNCHER_JAR)})`);
  return { pluginJar: PLUGIN_JAR, launcherJar: LAUNCHER_JAR };
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  buildJmeterJar({ required: true, force: process.argv.includes('--force') }).catch((err) => {
    console.error(err.message);
    process.exit(1);
  });
}
