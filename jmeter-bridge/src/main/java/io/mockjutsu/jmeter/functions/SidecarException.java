package io.mockjutsu.jmeter.functions;

/** A failed call to the sidecar; the message names the URL and the cause, ready to be logged. */
final class SidecarException extends Exception {

    private static final long serialVersionUID = 1L;

    SidecarException(String message) {
        super(message);
    }

    SidecarException(String message, Throwable cause) {
        super(message, cause);
    }
}
