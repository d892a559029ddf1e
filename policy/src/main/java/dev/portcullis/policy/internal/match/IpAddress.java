package dev.portcullis.policy.internal.match;

/**
 * An IPv4 or IPv6 address as 128 bits. IPv4 addresses are held in their IPv4-mapped IPv6 form
 * ({@code ::ffff:a.b.c.d}), so a client that reaches a dual-stack listener as {@code ::ffff:10.0.0.1}
 * matches {@code 10.0.0.0/8}. Parsing is textual only: a host name is never looked up.
 *
 * @param high the upper 64 bits
 * @param low  the lower 64 bits
 * @param v4   true when written as IPv4 (or IPv4-mapped IPv6)
 */
public record IpAddress(long high, long low, boolean v4) {

    private static final long MAPPED_PREFIX = 0x0000_FFFF_0000_0000L;

    /** The address in {@code text}, or null when it is not an IP literal. Brackets and a zone are allowed. */
    public static IpAddress parse(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        int start = 0;
        int end = text.length();
        if (text.charAt(0) == '[' && text.charAt(end - 1) == ']') {
            start++;
            end--;
        }
        int zone = text.indexOf('%', start);
        if (zone >= 0 && zone < end) {
            end = zone;
        }
        if (text.indexOf(':', start) < 0 || text.indexOf(':', start) >= end) {
            long v4 = parseV4(text, start, end);
            return v4 < 0 ? null : new IpAddress(0, MAPPED_PREFIX | v4, true);
        }
        return parseV6(text, start, end);
    }

    /** The 32 bits of a dotted-quad IPv4 address, or -1. Leading zeros are refused (they read as octal elsewhere). */
    static long parseV4(String s, int start, int end) {
        long value = 0;
        int parts = 0;
        int i = start;
        while (parts < 4) {
            int digitsStart = i;
            int part = 0;
            while (i < end && i - digitsStart < 3 && isAsciiDigit(s.charAt(i))) {
                part = part * 10 + (s.charAt(i) - '0');
                i++;
            }
            int digits = i - digitsStart;
            if (digits == 0 || part > 255 || (digits > 1 && s.charAt(digitsStart) == '0')) {
                return -1;
            }
            value = (value << 8) | part;
            parts++;
            if (parts < 4) {
                if (i >= end || s.charAt(i) != '.') {
                    return -1;
                }
                i++;
            }
        }
        return i == end ? value : -1;
    }

    private static boolean isAsciiDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static IpAddress parseV6(String s, int start, int end) {
        int gap = s.indexOf("::", start);
        if (gap >= end - 1) {
            gap = -1;
        }
        if (gap >= 0 && s.indexOf("::", gap + 1) >= 0 && s.indexOf("::", gap + 1) < end) {
            return null;
        }
        Groups head = new Groups();
        Groups tail = new Groups();
        if (gap < 0) {
            if (!head.read(s, start, end) || head.count != 8) {
                return null;
            }
        } else if (!head.read(s, start, gap) || !tail.read(s, gap + 2, end) || head.count + tail.count > 7) {
            return null;
        }
        head.shift(8 - head.count - tail.count);
        head.shift(tail.count);
        long high = head.high | tail.high;
        long low = head.low | tail.low;
        boolean mapped = high == 0 && (low & 0xFFFF_FFFF_0000_0000L) == MAPPED_PREFIX;
        return new IpAddress(high, low, mapped);
    }

    /** Up to eight 16-bit groups read left to right into 128 bits. */
    private static final class Groups {
        long high;
        long low;
        int count;

        boolean read(String s, int start, int end) {
            if (start == end) {
                return true;
            }
            int i = start;
            while (true) {
                int next = s.indexOf(':', i);
                int groupEnd = next < 0 || next > end ? end : next;
                if (groupEnd == end && s.lastIndexOf('.', end - 1) >= i) {
                    return readV4(s, i, end);
                }
                if (!readGroup(s, i, groupEnd)) {
                    return false;
                }
                if (groupEnd == end) {
                    return true;
                }
                i = groupEnd + 1;
            }
        }

        private boolean readV4(String s, int start, int end) {
            long v4 = parseV4(s, start, end);
            if (v4 < 0 || count > 6) {
                return false;
            }
            push(v4 >>> 16);
            push(v4 & 0xFFFF);
            return true;
        }

        private boolean readGroup(String s, int start, int end) {
            if (end - start < 1 || end - start > 4 || count >= 8) {
                return false;
            }
            int group = 0;
            for (int i = start; i < end; i++) {
                int digit = Character.digit(s.charAt(i), 16);
                if (digit < 0) {
                    return false;
                }
                group = (group << 4) | digit;
            }
            push(group);
            return true;
        }

        private void push(long group) {
            shift(1);
            low |= group;
            count++;
        }

        void shift(int groups) {
            for (int g = 0; g < groups; g++) {
                high = (high << 16) | (low >>> 48);
                low <<= 16;
            }
        }
    }
}
