package dev.portcullis.authn.passkey;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Another process changing the passkeys file (as {@code portcullis users} would): adds {@code count} passkeys of
 * {@code email} with ids {@code prefix0…}. Run by {@link PasskeyStoreTest} in its own JVM.
 */
final class PasskeyStoreWriter {

    private PasskeyStoreWriter() {
    }

    public static void main(String[] args) throws Exception {
        PasskeyStore store = new PasskeyStore(Path.of(args[0]));
        String email = args[1];
        String prefix = args[2];
        int count = Integer.parseInt(args[3]);
        store.userHandleFor(email);
        for (int i = 0; i < count; i++) {
            store.add(new PasskeyCredential(prefix + i, email, new byte[] {1}, 0, "", Instant.EPOCH, Optional.empty(),
                    List.of()));
        }
    }
}
