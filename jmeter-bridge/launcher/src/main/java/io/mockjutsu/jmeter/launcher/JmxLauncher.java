package io.mockjutsu.jmeter.launcher;

import java.io.File;
import java.lang.reflect.Field;
import java.lang.reflect.Method;

/**
 * Starts JMeter exactly like {@code jmeter} does ({@code org.apache.jmeter.NewDriver.main}), after
 * allowing every type in the XStream instances that read and write .jmx and .jtl files.
 *
 * <p>Why: Debian's {@code jmeter} 2.13 package runs with XStream 1.4.20, which denies all types
 * unless told otherwise; JMeter added the permission itself only in 3.3, so the packaged 2.13
 * cannot open any .jmx in non-GUI mode ({@code ForbiddenClassException:
 * org.apache.jmeter.save.ScriptWrapper}, exit code 0). JMeter 3.3 and later (5.x) need none of
 * this: use their own {@code jmeter} script.
 *
 * <p>Usage (JDK only, no dependency):
 * {@code java -cp mockjutsu-jmeter-launcher.jar:$JMETER_HOME/bin/ApacheJMeter.jar
 * io.mockjutsu.jmeter.launcher.JmxLauncher -n -t plan.jmx -l results.jtl ...} (same arguments
 * as {@code jmeter}). {@code JMETER_HOME} defaults to the system property {@code jmeter.home},
 * then the environment variable, then /usr/share/jmeter.
 */
public final class JmxLauncher {

    private JmxLauncher() {
    }

    public static void main(String[] args) throws Exception {
        String home = jmeterHome();
        if (System.getProperty("jmeter.home") == null) {
            System.setProperty("jmeter.home", home);
        }
        // NewDriver's static initialiser builds JMeter's class loader (lib/, lib/ext/).
        Class<?> newDriver = Class.forName("org.apache.jmeter.NewDriver");
        Field loaderField = newDriver.getDeclaredField("loader");
        loaderField.setAccessible(true);
        ClassLoader loader = (ClassLoader) loaderField.get(null);

        allowAllTypes(loader, home);

        Method main = newDriver.getMethod("main", String[].class);
        main.invoke(null, (Object) args);
    }

    static String jmeterHome() {
        String home = System.getProperty("jmeter.home");
        if (home == null || home.length() == 0) {
            home = System.getenv("JMETER_HOME");
        }
        if (home == null || home.length() == 0) {
            home = "/usr/share/jmeter";
        }
        return new File(home).getAbsolutePath();
    }

    /** Adds AnyTypePermission.ANY to SaveService.JMXSAVER and JTLSAVER, when they exist. */
    static void allowAllTypes(ClassLoader loader, String home) throws Exception {
        Class<?> permissionType;
        Object any;
        try {
            permissionType = Class.forName("com.thoughtworks.xstream.security.TypePermission", true, loader);
            any = Class.forName("com.thoughtworks.xstream.security.AnyTypePermission", true, loader)
                    .getField("ANY").get(null);
        } catch (ClassNotFoundException e) {
            return; // XStream older than 1.4.7: no security framework, nothing to allow
        }
        // SaveService's static initialiser reads bin/saveservice.properties through JMeterUtils:
        // give it JMeter's home and properties first (JMeter reloads them itself afterwards).
        Class<?> utils = Class.forName("org.apache.jmeter.util.JMeterUtils", true, loader);
        if (utils.getMethod("getJMeterHome").invoke(null) == null) {
            utils.getMethod("setJMeterHome", String.class).invoke(null, home);
        }
        if (utils.getMethod("getJMeterProperties").invoke(null) == null) {
            utils.getMethod("loadJMeterProperties", String.class)
                    .invoke(null, new File(home, "bin/jmeter.properties").getPath());
        }
        Class<?> saveService = Class.forName("org.apache.jmeter.save.SaveService", true, loader);
        for (String name : new String[] {"JMXSAVER", "JTLSAVER"}) {
            Field f;
            try {
                f = saveService.getDeclaredField(name);
            } catch (NoSuchFieldException e) {
                continue;
            }
            f.setAccessible(true);
            Object xstream = f.get(null);
            if (xstream != null) {
                xstream.getClass().getMethod("addPermission", permissionType).invoke(xstream, any);
            }
        }
    }
}
