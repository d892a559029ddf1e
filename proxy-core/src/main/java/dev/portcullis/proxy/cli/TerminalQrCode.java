package dev.portcullis.proxy.cli;

import static java.util.Objects.requireNonNull;

import io.nayuki.qrcodegen.QrCode;

/**
 * A QR code drawn with Unicode half-block characters ({@code ▀ ▄ █}), two module rows per text line,
 * so an authenticator app can scan it off the terminal. With {@code colors}, ANSI codes paint it black
 * on white whatever the terminal's theme; without, light modules are drawn as blocks and dark ones as
 * the terminal's background, which suits the usual light-on-dark terminal.
 */
final class TerminalQrCode {

    /** Light modules around the code; the QR specification asks for 4, scanners manage with 2 on a screen. */
    static final int QUIET_ZONE = 2;
    private static final String BLACK_ON_WHITE = "\u001b[30;47m";
    private static final String RESET = "\u001b[0m";

    private TerminalQrCode() {}

    /** The lines that draw {@code text} as a QR code (error correction level M), each ending in a newline. */
    static String render(String text, boolean colors) {
        requireNonNull(text, "text");
        QrCode code = QrCode.encodeText(text, QrCode.Ecc.MEDIUM);
        StringBuilder out = new StringBuilder();
        int from = -QUIET_ZONE;
        int to = code.size + QUIET_ZONE;
        for (int y = from; y < to; y += 2) {
            if (colors) {
                out.append(BLACK_ON_WHITE);
            }
            for (int x = from; x < to; x++) {
                boolean top = ink(code, x, y, colors);
                boolean bottom = y + 1 < to && ink(code, x, y + 1, colors);
                out.append(top ? (bottom ? '█' : '▀') : (bottom ? '▄' : ' '));
            }
            if (colors) {
                out.append(RESET);
            }
            out.append('\n');
        }
        return out.toString();
    }

    /** Whether the module is drawn in the foreground: dark ones on white, light ones otherwise. */
    private static boolean ink(QrCode code, int x, int y, boolean colors) {
        // getModule is false (light) outside the symbol, which is the quiet zone.
        boolean dark = code.getModule(x, y);
        return colors == dark;
    }
}
