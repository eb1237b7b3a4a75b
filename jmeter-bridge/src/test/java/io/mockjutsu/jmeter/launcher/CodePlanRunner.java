package io.mockjutsu.jmeter.launcher;

import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.jmeter.control.LoopController;
import org.apache.jmeter.engine.StandardJMeterEngine;
import org.apache.jmeter.samplers.SampleEvent;
import org.apache.jmeter.samplers.SampleListener;
import org.apache.jmeter.samplers.SampleResult;
import org.apache.jmeter.testelement.AbstractTestElement;
import org.apache.jmeter.testelement.TestPlan;
import org.apache.jmeter.testelement.property.StringProperty;
import org.apache.jmeter.threads.JMeterContext;
import org.apache.jmeter.threads.JMeterContextService;
import org.apache.jmeter.threads.JMeterVariables;
import org.apache.jmeter.threads.ThreadGroup;
import org.apache.jmeter.util.JMeterUtils;
import org.apache.jorphan.collections.HashTree;
import org.apache.jorphan.collections.ListedHashTree;

/**
 * Test/benchmark tool: builds a plan in code (TestPlan -> ThreadGroup + LoopController ->
 * samplers holding an expression such as {@code ${__mockjutsu_event_sourcing(event_stream,event)}},
 * sampled as the label),
 * runs it on the real engine ({@code StandardJMeterEngine.configure(tree); run()}) and writes
 * one JSON line per sample as it happens.
 *
 * <p>The JVM class path must hold this jar, the plugin jar, JMeter's lib/ext and lib jars; the
 * plugin jar must also be named by {@code --plugin} (it goes to {@code search_paths}, absolute).
 *
 * <pre>
 * --jmeter-home DIR   (default: -Djmeter.home, $JMETER_HOME)
 * --plugin JAR        plugin jar, added to search_paths
 * --threads N --loops N --group NAME
 * --expr EXPR         one sampler per --expr, in order, each iteration (repeatable)
 * --var NAME          JMeter variable recorded with each sample (repeatable)
 * --sleep-ms N        each sample sleeps N ms after evaluating (to stretch a run)
 * --bench K           bench mode: each sample evaluates its expression K times and times it
 * --out FILE          JSON lines, one per sample (default: stdout)
 * --log FILE          jmeter log file
 * -Jname=value        JMeter property
 * </pre>
 */
public final class CodePlanRunner {

    private CodePlanRunner() {
    }

    public static void main(String[] argv) throws Exception {
        String home = defaultJMeterHome();
        String plugin = null;
        int threads = 1;
        int loops = 1;
        String group = "Thread Group";
        List<String> exprs = new ArrayList<String>();
        List<String> vars = new ArrayList<String>();
        long sleepMs = 0;
        int bench = 0;
        String out = null;
        String log = null;
        Map<String, String> props = new LinkedHashMap<String, String>();
        for (int i = 0; i < argv.length; i++) {
            String a = argv[i];
            if (a.startsWith("-J")) {
                int eq = a.indexOf('=');
                if (eq < 0) {
                    throw new IllegalArgumentException("expected -Jname=value, got " + a);
                }
                props.put(a.substring(2, eq), a.substring(eq + 1));
                continue;
            }
            if (i + 1 >= argv.length) {
                throw new IllegalArgumentException("missing value after " + a);
            }
            String v = argv[++i];
            if ("--jmeter-home".equals(a)) {
                home = new File(v).getAbsolutePath();
            } else if ("--plugin".equals(a)) {
                plugin = new File(v).getAbsolutePath();
            } else if ("--threads".equals(a)) {
                threads = Integer.parseInt(v);
            } else if ("--loops".equals(a)) {
                loops = Integer.parseInt(v);
            } else if ("--group".equals(a)) {
                group = v;
            } else if ("--expr".equals(a)) {
                exprs.add(v);
            } else if ("--var".equals(a)) {
                vars.add(v);
            } else if ("--sleep-ms".equals(a)) {
                sleepMs = Long.parseLong(v);
            } else if ("--bench".equals(a)) {
                bench = Integer.parseInt(v);
            } else if ("--out".equals(a)) {
                out = v;
            } else if ("--log".equals(a)) {
                log = v;
            } else {
                throw new IllegalArgumentException("unknown option " + a);
            }
        }
        if (home == null) {
            throw new IllegalArgumentException("give --jmeter-home, -Djmeter.home or JMETER_HOME");
        }
        if (exprs.isEmpty()) {
            throw new IllegalArgumentException("give at least one --expr");
        }

        // JMeter 5.x logs through SLF4J to log4j2, configured by bin/log4j2.xml (as NewDriver does);
        // set before the first JMeter class asks for a logger
        if (System.getProperty("log4j.configurationFile") == null) {
            System.setProperty("log4j.configurationFile", new File(home, "bin/log4j2.xml").getAbsolutePath());
        }
        if (log != null) {
            System.setProperty("jmeter.logfile", new File(log).getAbsolutePath());
        }
        JMeterUtils.setJMeterHome(home);
        JMeterUtils.loadJMeterProperties(new File(home, "bin/jmeter.properties").getPath());
        JMeterUtils.initLocale();
        if (plugin != null) {
            String paths = JMeterUtils.getPropDefault("search_paths", "");
            JMeterUtils.setProperty("search_paths", paths.length() == 0 ? plugin : paths + ";" + plugin);
        }
        for (Map.Entry<String, String> p : props.entrySet()) {
            JMeterUtils.setProperty(p.getKey(), p.getValue());
        }

        Writer w = out == null ? new OutputStreamWriter(System.out, "UTF-8")
                : new OutputStreamWriter(new FileOutputStream(out), "UTF-8");
        Collector.init(w, vars);

        TestPlan plan = new TestPlan("mockjutsu code-built plan");
        LoopController loop = new LoopController();
        loop.setLoops(loops);
        loop.setFirst(true);
        loop.initialize();
        ThreadGroup tg = new ThreadGroup();
        tg.setName(group);
        tg.setNumThreads(threads);
        tg.setRampUp(0);
        tg.setSamplerController(loop);

        HashTree tree = new ListedHashTree(); // keeps the samplers in order
        tree.add(plan);
        HashTree groupTree = tree.add(plan, tg);
        for (int i = 0; i < exprs.size(); i++) {
            EvalSampler s = new EvalSampler();
            s.setIndex(i);
            s.setExpression(exprs.get(i), bench > 0);
            s.setBenchCount(bench);
            s.setSleepMs(sleepMs);
            groupTree.add(s);
        }
        groupTree.add(new Collector());

        long t0 = System.nanoTime();
        StandardJMeterEngine engine = new StandardJMeterEngine();
        engine.configure(tree);
        engine.run();
        long wallNs = System.nanoTime() - t0;
        Collector.finish(wallNs);
        System.exit(0);
    }

    /** -Djmeter.home, else $JMETER_HOME (absolute), else null. */
    static String defaultJMeterHome() {
        String home = System.getProperty("jmeter.home");
        if (home == null || home.length() == 0) {
            home = System.getenv("JMETER_HOME");
        }
        return home == null || home.length() == 0 ? null : new File(home).getAbsolutePath();
    }

    /** A sampler that evaluates an expression: by name (like any plan) or, in bench mode, timed K times. */
    public static class EvalSampler extends org.apache.jmeter.samplers.AbstractSampler {
        private static final long serialVersionUID = 1L;
        private static final String RAW = "EvalSampler.raw";
        private static final String BENCH = "EvalSampler.bench";
        private static final String SLEEP = "EvalSampler.sleep";
        private static final String INDEX = "EvalSampler.index";
        private static final String EXPR = "EvalSampler.expr";

        private transient org.apache.jmeter.engine.util.CompoundVariable compiled;

        void setExpression(String expr, boolean bench) {
            if (bench) {
                // kept out of JMeter's own function replacement: compiled by the sampler itself
                setName("bench " + getIndexSafe());
                setProperty(new StringProperty(RAW, hex(expr)));
            } else {
                setName("eval " + getIndexSafe());
                setProperty(new StringProperty(EXPR, expr));
            }
        }

        private int getIndexSafe() {
            return getPropertyAsInt(INDEX);
        }

        void setBenchCount(int k) {
            setProperty(BENCH, k);
        }

        void setSleepMs(long ms) {
            setProperty(SLEEP, ms);
        }

        void setIndex(int i) {
            setProperty(INDEX, i);
        }

        @Override
        public SampleResult sample(org.apache.jmeter.samplers.Entry e) {
            SampleResult r = new SampleResult();
            int k = getPropertyAsInt(BENCH);
            r.sampleStart();
            if (k > 0) {
                try {
                    if (compiled == null) {
                        compiled = new org.apache.jmeter.engine.util.CompoundVariable(unhex(getPropertyAsString(RAW)));
                    }
                } catch (Exception x) {
                    throw new IllegalStateException(x);
                }
                String last = "";
                long t = System.nanoTime();
                for (int i = 0; i < k; i++) {
                    last = compiled.execute();
                }
                long ns = System.nanoTime() - t;
                r.setSampleLabel("bench " + getPropertyAsInt(INDEX));
                r.setResponseMessage(Long.toString(ns));
                r.setResponseData(last, "UTF-8");
            } else {
                // read once: JMeter turned the expression into a function property at plan start
                // (as it does for any ${...} in a plan), and each read evaluates it
                String value = getPropertyAsString(EXPR);
                r.setSampleLabel(value);
                r.setResponseData(value, "UTF-8");
            }
            long sleep = getPropertyAsLong(SLEEP);
            if (sleep > 0) {
                try {
                    Thread.sleep(sleep);
                } catch (InterruptedException x) {
                    Thread.currentThread().interrupt();
                }
            }
            r.sampleEnd();
            r.setSuccessful(true);
            r.setResponseCodeOK();
            return r;
        }

        private static String hex(String s) {
            StringBuilder b = new StringBuilder();
            for (char c : s.toCharArray()) {
                b.append(String.format("%04x", (int) c));
            }
            return b.toString();
        }

        private static String unhex(String h) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i + 4 <= h.length(); i += 4) {
                b.append((char) Integer.parseInt(h.substring(i, i + 4), 16));
            }
            return b.toString();
        }
    }

    /** Writes one JSON line per sample, in the sampling thread, as samples happen. */
    public static class Collector extends AbstractTestElement
            implements SampleListener, org.apache.jmeter.engine.util.NoThreadClone {
        private static final long serialVersionUID = 1L;
        private static Writer writer;
        private static List<String> vars;
        private static long samples;

        static synchronized void init(Writer w, List<String> v) {
            writer = w;
            vars = v;
        }

        static synchronized void finish(long wallNs) throws IOException {
            writer.write("{\"end\":true,\"samples\":" + samples + ",\"wall_ns\":" + wallNs + "}\n");
            writer.flush();
            writer.close();
        }

        @Override
        public void sampleOccurred(SampleEvent e) {
            SampleResult r = e.getResult();
            JMeterContext ctx = JMeterContextService.getContext();
            JMeterVariables v = ctx.getVariables();
            StringBuilder b = new StringBuilder(256);
            b.append("{\"thread\":").append(q(r.getThreadName()));
            b.append(",\"group\":").append(q(ctx.getThreadGroup() == null ? "" : ctx.getThreadGroup().getName()));
            b.append(",\"num\":").append(ctx.getThreadNum() + 1);
            b.append(",\"iteration\":").append(v == null ? -1 : v.getIteration());
            b.append(",\"label\":").append(q(r.getSampleLabel()));
            b.append(",\"message\":").append(q(r.getResponseMessage()));
            b.append(",\"t\":").append(System.currentTimeMillis());
            if (r.getSampleLabel().startsWith("bench")) {
                b.append(",\"value\":").append(q(r.getResponseDataAsString()));
            }
            b.append(",\"vars\":{");
            for (int i = 0; i < vars.size(); i++) {
                String name = vars.get(i);
                b.append(i == 0 ? "" : ",").append(q(name)).append(':').append(q(v == null ? null : v.get(name)));
            }
            b.append("}}\n");
            synchronized (Collector.class) {
                samples++;
                try {
                    writer.write(b.toString());
                    writer.flush();
                } catch (IOException x) {
                    throw new IllegalStateException(x);
                }
            }
        }

        @Override
        public void sampleStarted(SampleEvent e) {
        }

        @Override
        public void sampleStopped(SampleEvent e) {
        }

        static String q(String s) {
            if (s == null) {
                return "null";
            }
            StringBuilder b = new StringBuilder(s.length() + 2).append('"');
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                switch (c) {
                    case '"': b.append("\\\""); break;
                    case '\\': b.append("\\\\"); break;
                    case '\n': b.append("\\n"); break;
                    case '\r': b.append("\\r"); break;
                    case '\t': b.append("\\t"); break;
                    default:
                        if (c < 0x20) {
                            b.append(String.format("\\u%04x", (int) c));
                        } else {
                            b.append(c);
                        }
                }
            }
            return b.append('"').toString();
        }
    }
}
