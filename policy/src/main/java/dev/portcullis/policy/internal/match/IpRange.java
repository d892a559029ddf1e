package dev.portcullis.policy.internal.match;

/**
 * An address or CIDR range ({@code 10.0.0.0/8}, {@code 2001:db8::/32}, {@code 192.168.1.7}). IPv4
 * ranges live in the IPv4-mapped part of the IPv6 space, see {@link IpAddress}.
 */
public final class IpRange {

    private final String text;
    private final long high;
    private final long low;
    private final long maskHigh;
    private final long maskLow;

    private IpRange(String text, IpAddress base, int bits) {
        this.text = text;
        this.maskHigh = bits >= 64 ? -1L : bits == 0 ? 0 : -1L << (64 - bits);
        this.maskLow = bits <= 64 ? 0 : -1L << (128 - bits);
        this.high = base.high() & maskHigh;
        this.low = base.low() & maskLow;
    }

    /** The range in {@code text}, or null when it is not an address or CIDR range. Host bits are ignored. */
    public static IpRange parse(String text) {
        int slash = text.indexOf('/');
        String address = slash < 0 ? text : text.substring(0, slash);
        IpAddress base = IpAddress.parse(address);
        if (base == null || address.startsWith("[") || address.contains("%")) {
            return null;
        }
        boolean writtenAsV4 = address.indexOf(':') < 0;
        int max = writtenAsV4 ? 32 : 128;
        int bits = max;
        if (slash >= 0) {
            String prefix = text.substring(slash + 1);
            if (prefix.isEmpty() || prefix.length() > 3 || !prefix.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return null;
            }
            bits = Integer.parseInt(prefix);
            if (bits > max) {
                return null;
            }
        }
        return new IpRange(text, base, writtenAsV4 ? bits + 96 : bits);
    }

    public boolean contains(IpAddress address) {
        return (address.high() & maskHigh) == high && (address.low() & maskLow) == low;
    }

    @Override
    public String toString() {
        return text;
    }
}
