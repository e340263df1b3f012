package io.auricle.cli;

import io.auricle.AuricleException;
import java.util.List;
import java.util.Locale;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code auricle} command: subcommands for each job. */
@Command(name = "auricle", mixinStandardHelpOptions = true, version = "auricle 0.1.0",
        description = "Whisper speech recognition in pure Java.",
        subcommands = {CommandLine.HelpCommand.class, TranscribeCommand.class, InspectCommand.class,
                ConvertCommand.class, ServeCommand.class})
public final class Main implements Runnable {

    @Override
    public void run() {
        new CommandLine(this).usage(System.err);
    }

    public static void main(String[] args) {
        oneLineLogs();
        System.exit(run(args));
    }

    /**
     * Log records (the audio package's warnings go through System.Logger, that is java.util.logging here) as one
     * line each, as the CLI's own messages: "auricle: warning: ...", not JUL's two lines with date and method.
     */
    static void oneLineLogs() {
        Logger root = Logger.getLogger("");
        for (Handler h : root.getHandlers()) root.removeHandler(h);
        Handler oneLine = new Handler() {
            @Override
            public void publish(LogRecord r) {
                if (!isLoggable(r)) return;
                String level = r.getLevel() == Level.SEVERE ? "error" : r.getLevel().getName().toLowerCase(Locale.ROOT);
                System.err.println("auricle: " + level + ": " + getFormatter().formatMessage(r));
            }

            @Override
            public void flush() {
                System.err.flush();
            }

            @Override
            public void close() {}
        };
        oneLine.setFormatter(new SimpleFormatter()); // for its message formatting only
        root.addHandler(oneLine);
    }

    /** Runs the CLI and returns its exit code: 0 ok, 1 internal error, 2 bad input (file, model, flag). */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler(Main::handleError);
        cli.setParameterExceptionHandler(Main::handleBadFlag);
        return cli.execute(args);
    }

    /** A flag that does not parse: one line, as every other bad input gets, rather than the whole usage. */
    private static int handleBadFlag(CommandLine.ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        String message = e.getMessage();
        if (e instanceof CommandLine.UnmatchedArgumentException u && !u.getSuggestions().isEmpty()) {
            List<String> near = u.getSuggestions();
            message += "; did you mean " + String.join(" or ", near.subList(0, Math.min(3, near.size()))) + "?";
        }
        cmd.getErr().println("auricle: " + message + " (see '" + cmd.getCommandSpec().qualifiedName() + " --help')");
        return cmd.getCommandSpec().exitCodeOnInvalidInput();
    }

    private static int handleError(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
        boolean verbose = Boolean.getBoolean("auricle.verbose");
        // --verbose belongs to the subcommand, so look through the whole chain of parse results.
        for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand()) {
            // inspect's --verbose is a flag; transcribe's is openai's --verbose True|False.
            if (p.hasMatchedOption("--verbose")) verbose |= !Boolean.FALSE.equals(p.matchedOptionValue("--verbose", null));
        }
        if (verbose) e.printStackTrace();
        if (e instanceof AuricleException ae) {
            cmd.getErr().println("auricle: " + ae.getMessage());
            return ae.exitCode();
        }
        cmd.getErr().println("auricle: internal error: " + e + (verbose ? "" : " (run with --verbose for details)"));
        return 1;
    }
}
