package dev.portcullis.authn.builtin;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Another process changing the users file (as {@code portcullis users} would while the proxy accepts an
 * invitation): adds {@code count} users {@code prefix0@example.com…} one {@link UsersFile#update} each. Run by
 * {@link UsersFileUpdateTest} in its own JVM.
 */
final class UsersFileWriter {

    private UsersFileWriter() {
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        String prefix = args[1];
        int count = Integer.parseInt(args[2]);
        for (int i = 0; i < count; i++) {
            BuiltinUser user = new BuiltinUser(prefix + i + "@example.com", "", List.of(), Optional.empty(), Optional.empty());
            UsersFile.update(file, users -> users.with(user));
        }
    }
}
