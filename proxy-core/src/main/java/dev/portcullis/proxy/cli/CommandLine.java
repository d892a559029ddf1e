package dev.portcullis.proxy.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The parsed command line: a command ({@code serve} when none is given) and the configuration
 * file. {@code --config FILE}, {@code --config=FILE} and Pomerium's older {@code -config FILE}
 * are all accepted.
 */
record CommandLine(String command, Optional<Path> configFile) {
    static final String USAGE = """
            Usage:
              portcullis [serve] [--config FILE]    run the proxy (the environment may hold every option)
              portcullis validate [--config FILE]   check a configuration: exit 0, or 2 with every problem listed
              portcullis gen-secret                 print a new secret for COOKIE_SECRET or SHARED_SECRET
            """ + PolicyCheckParser.USAGE + UsersCommand.USAGE + """
              portcullis --help | --version
            """;

    static CommandLine parse(List<String> args) throws UsageException {
        String command = "serve";
        Optional<Path> config = Optional.empty();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--config") || arg.equals("-config") || arg.equals("-c")) {
                if (i + 1 >= args.size()) {
                    throw new UsageException(arg + " needs a file name");
                }
                config = Optional.of(Path.of(args.get(++i)));
            } else if (arg.startsWith("--config=") || arg.startsWith("-config=")) {
                config = Optional.of(Path.of(arg.substring(arg.indexOf('=') + 1)));
            } else if (arg.equals("--help") || arg.equals("-h") || arg.equals("help")) {
                command = "help";
            } else if (arg.equals("--version") || arg.equals("version")) {
                command = "version";
            } else if (!arg.startsWith("-") && i == 0) {
                command = arg;
            } else {
                throw new UsageException("unknown argument \"" + arg + "\"");
            }
        }
        if (!List.of("serve", "validate", "gen-secret", "help", "version").contains(command)) {
            throw new UsageException("unknown command \"" + command + "\"");
        }
        return new CommandLine(command, config);
    }

    /** A command line that cannot be understood. */
    static final class UsageException extends Exception {
        UsageException(String message) {
            super(message, null, false, false);
        }
    }
}
