package dev.portcullis.proxy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.nayuki.qrcodegen.QrCode;
import java.util.List;
import org.junit.jupiter.api.Test;

class TerminalQrCodeTest {

    private static final String URI =
            "otpauth://totp/Portcullis:alice@example.com?secret=JBSWY3DPEHPK3PXP&issuer=Portcullis"
                    + "&algorithm=SHA1&digits=6&period=30";

    @Test
    void drawsEveryModuleWithHalfBlocksInsideAQuietZone() {
        QrCode code = QrCode.encodeText(URI, QrCode.Ecc.MEDIUM);

        List<String> lines = TerminalQrCode.render(URI, false).lines().toList();

        int width = code.size + 2 * TerminalQrCode.QUIET_ZONE;
        assertThat(lines).hasSize((width + 1) / 2).allSatisfy(line -> assertThat(line).hasSize(width));
        for (int y = -TerminalQrCode.QUIET_ZONE; y < code.size + TerminalQrCode.QUIET_ZONE; y++) {
            for (int x = -TerminalQrCode.QUIET_ZONE; x < code.size + TerminalQrCode.QUIET_ZONE; x++) {
                int row = (y + TerminalQrCode.QUIET_ZONE) / 2;
                boolean topHalf = (y + TerminalQrCode.QUIET_ZONE) % 2 == 0;
                char drawn = lines.get(row).charAt(x + TerminalQrCode.QUIET_ZONE);
                boolean ink = topHalf ? drawn == '█' || drawn == '▀' : drawn == '█' || drawn == '▄';
                // Without colours light modules are the ink (light-on-dark terminal).
                assertThat(ink).as("module %d,%d", x, y).isEqualTo(!code.getModule(x, y));
            }
        }
    }

    @Test
    void withColoursDarkModulesAreInkOnAWhiteBackground() {
        QrCode code = QrCode.encodeText(URI, QrCode.Ecc.MEDIUM);

        List<String> lines = TerminalQrCode.render(URI, true).lines().toList();

        assertThat(lines).allSatisfy(line -> assertThat(line).startsWith("\u001b[30;47m").endsWith("\u001b[0m"));
        String firstCodeRow = lines.get(TerminalQrCode.QUIET_ZONE / 2).substring("\u001b[30;47m".length());
        // The top-left finder pattern's first row: seven dark modules after the quiet zone.
        assertThat(firstCodeRow.substring(TerminalQrCode.QUIET_ZONE, TerminalQrCode.QUIET_ZONE + 7))
                .matches("[█▀]{7}");
        assertThat(code.getModule(0, 0)).isTrue();
    }
}
