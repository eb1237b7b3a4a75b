package io.mockjutsu.jmeter.functions;

import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import org.apache.jmeter.engine.util.CompoundVariable;
import org.apache.jmeter.functions.AbstractFunction;
import org.apache.jmeter.functions.InvalidVariableException;
import org.apache.jmeter.samplers.SampleResult;
import org.apache.jmeter.samplers.Sampler;
import org.apache.jmeter.threads.JMeterVariables;

/**
 * {@code ${__mockjutsu_event_sourcing(type[,mode][,variable])}}: the next session (mode
 * {@code session}, the default) or the next event (mode {@code event}) of this thread's own
 * session stream, served by the mockjutsu sidecar ({@code mockjutsu serve}). The type is
 * {@code event_stream} (the shop) or the name of any domain the sidecar serves
 * ({@code mockjutsu serve --domain bank}: {@code ${__mockjutsu_event_sourcing(bank,event)}});
 * {@code -Jmockjutsu.users} and {@code -Jmockjutsu.start} set the generator's users and start.
 *
 * <p>{@code ${__mockjutsu_event_sourcing(mock_event,NAME[,variable])}}: the next mock event of the
 * schema registered in the sidecar as NAME ({@code mockjutsu serve --schema NAME=FILE}): event k
 * of the thread's partition (its thread key), k = 0, 1, ... per thread and schema, prefetched in
 * batches as event mode is.
 *
 * <p>One instance exists per call site and is shared by all threads: all per-thread state lives
 * in {@link ThreadState} (a ThreadLocal), so {@link #execute} takes no lock, least of all around
 * network calls. Constructors do no I/O (JMeter builds a throwaway instance at start-up to read
 * the reference key).
 *
 * <p>Faults never throw at sampling time: the function returns "" and sets the JMeter variable
 * {@value #ERROR_VARIABLE} to the message (one ERROR log line per thread per outage); on success
 * it sets {@value #ERROR_VARIABLE} to "".
 */
public class MockjutsuEventSourcing extends AbstractFunction {

    /** Reference key of this function. */
    public static final String KEY = "__mockjutsu_event_sourcing";

    /** JMeter variable holding the last error of the calling thread ("" after a success). */
    public static final String ERROR_VARIABLE = "mockjutsu_error";

    static final String MODE_SESSION = "session";
    static final String MODE_EVENT = "event";
    /** The pseudo-type whose second argument names a schema registered in the sidecar. */
    static final String MOCK_EVENT = "mock_event";

    private static final int MIN_ARGS = 1;
    private static final int MAX_ARGS = 3;
    private static final Pattern TYPE_PATTERN = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    /** Names of `serve --schema NAME=FILE` (the sidecar checks the same). */
    private static final Pattern SCHEMA_NAME_PATTERN = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    private static final List<String> DESCRIPTION = Collections.unmodifiableList(Arrays.asList(
            "Type of data (required): event_stream (the shop), the name of a domain the sidecar serves (mockjutsu serve --domain bank), "
                    + "mock_event, or another type the mockjutsu sidecar lists at GET /types",
            "Mode (optional): session (default) = the next whole session as a JSON array; "
                    + "event = the next event of this thread's session stream (login ... logout, then the next session); "
                    + "for mock_event (required): the NAME of a schema registered with mockjutsu serve --schema NAME=FILE",
            "Name of a variable that also receives the value (optional)"));

    private CompoundVariable[] args = new CompoundVariable[0];
    /** Constant values of the arguments, checked at plan start; null when an argument is dynamic. */
    private String fixedType;
    private String fixedMode;
    /** mock_event: the schema name, when constant. */
    private String fixedName;
    private String fixedVariable;

    public MockjutsuEventSourcing() {
        // cheap on purpose: no I/O here
    }

    @Override
    public String getReferenceKey() {
        return KEY;
    }

    @Override
    public List<String> getArgumentDesc() {
        return DESCRIPTION;
    }

    @Override
    public void setParameters(Collection<CompoundVariable> parameters) throws InvalidVariableException {
        String key = getReferenceKey();
        CompoundVariable[] given = parameters.toArray(new CompoundVariable[0]);
        if (given.length > MAX_ARGS) {
            StringBuilder raw = new StringBuilder();
            for (int i = 0; i < given.length; i++) {
                raw.append(i == 0 ? "" : ",").append(given[i].getRawParameters());
            }
            throw new InvalidVariableException(key + " takes " + MIN_ARGS + " to " + MAX_ARGS
                    + " arguments (type[,mode][,variable]) but got " + given.length + ": ${" + key + "(" + raw
                    + ")} (escape a literal comma as \\,)");
        }
        if (given.length < MIN_ARGS) {
            throw new InvalidVariableException(key + " needs a type as its first argument, e.g. ${" + key
                    + "(event_stream)} or ${" + key + "(event_stream,event,my_event)}");
        }
        CompoundVariable[] a = new CompoundVariable[MAX_ARGS];
        System.arraycopy(given, 0, a, 0, given.length);

        String type = constant(a[0]);
        String mode = constant(a[1]);
        String variable = constant(a[2]);
        if (type != null) {
            String problem = checkType(type);
            if (problem != null) {
                throw new InvalidVariableException(key + ": " + problem);
            }
        }
        boolean mock = type != null && MOCK_EVENT.equals(type.trim());
        if (mock && mode != null) {
            String problem = checkSchemaName(mode);
            if (problem != null) {
                throw new InvalidVariableException(key + ": " + problem);
            }
        } else if (mode != null && type != null) {
            String problem = checkMode(mode);
            if (problem != null) {
                throw new InvalidVariableException(key + ": " + problem);
            }
        }
        this.args = a;
        this.fixedType = type == null ? null : type.trim();
        this.fixedMode = mode == null || mock || type == null ? null : normaliseMode(mode);
        this.fixedName = mock && mode != null ? mode.trim() : null;
        this.fixedVariable = variable == null ? null : variable.trim();
    }

    @Override
    public String execute(SampleResult previousResult, Sampler currentSampler) throws InvalidVariableException {
        JMeterVariables vars = getVariables();
        String variable = fixedVariable != null ? fixedVariable : dynamic(args[2]).trim();
        String type = fixedType != null ? fixedType : dynamic(args[0]).trim();
        boolean mock = MOCK_EVENT.equals(type);
        String mode = fixedMode;
        String name = fixedName;
        String problem = null;
        if (mock) {
            if (name == null) {
                name = dynamic(args[1]).trim();
                problem = checkSchemaName(name);
            }
        } else if (mode == null) {
            String m = dynamic(args[1]);
            problem = checkMode(m);
            mode = normaliseMode(m);
        }
        if (problem == null && fixedType == null) {
            problem = checkType(type);
        }

        ThreadState state = ThreadState.current();
        String value;
        String error;
        if (problem != null) {
            value = "";
            error = getReferenceKey() + ": " + problem;
            state.reportProblem(error);
        } else {
            // mock_event streams are keyed by schema name where session streams have their unit
            ThreadState.Result r = mock ? state.next(MOCK_EVENT, name)
                    : state.next(type, MODE_EVENT.equals(mode) ? MODE_EVENT : MODE_SESSION);
            value = r.value;
            error = r.error;
        }
        if (vars != null) {
            vars.put(ERROR_VARIABLE, error == null ? "" : error);
            if (variable.length() > 0) {
                vars.put(variable, value);
            }
        }
        return value;
    }

    /**
     * The sidecar's session-stream key of one JMeter thread: {@code engine/thread group/thread
     * number} (thread number as {@code ${__threadNum}} shows it, 1-based). Threads never share a
     * key, and engines of a distributed test never collide as long as their engine ids differ.
     */
    public static String threadKey(String engineId, String threadGroupName, int threadNumber) {
        return engineId + "/" + threadGroupName + "/" + threadNumber;
    }

    // ---------------------------------------------------------------- helpers

    /** The argument's text when it holds no function (fixed for the run), "" when absent, null when it varies. */
    static String constant(CompoundVariable v) {
        if (v == null) {
            return "";
        }
        return v.hasFunction() ? null : v.execute();
    }

    /** The argument's text now, "" when absent. */
    static String dynamic(CompoundVariable v) {
        return v == null ? "" : v.execute();
    }

    static String checkType(String type) {
        String t = type == null ? "" : type.trim();
        if (t.length() == 0) {
            return "the first argument (type) is empty; use event_stream (or another type listed by the sidecar's GET /types)";
        }
        if (!TYPE_PATTERN.matcher(t).matches()) {
            return "invalid type '" + t + "'; use event_stream (or another type listed by the sidecar's GET /types)";
        }
        return null;
    }

    static String checkSchemaName(String name) {
        String n = name == null ? "" : name.trim();
        if (n.length() == 0) {
            return "mock_event needs the NAME of a schema registered in the sidecar (mockjutsu serve --schema NAME=FILE) as its "
                    + "second argument, e.g. ${" + KEY + "(mock_event,order)}";
        }
        if (!SCHEMA_NAME_PATTERN.matcher(n).matches()) {
            return "invalid schema name '" + n + "'; names are 1 to 64 characters among A-Z a-z 0-9 _ . - (as given to serve --schema NAME=FILE)";
        }
        return null;
    }

    static String checkMode(String mode) {
        String m = normaliseMode(mode);
        if (MODE_SESSION.equals(m) || MODE_EVENT.equals(m)) {
            return null;
        }
        return "unknown mode '" + mode.trim() + "'; use session (the next whole session, the default) or event (the next event)";
    }

    private static String normaliseMode(String mode) {
        String m = mode == null ? "" : mode.trim().toLowerCase(Locale.ROOT);
        return m.length() == 0 ? MODE_SESSION : m;
    }
}
