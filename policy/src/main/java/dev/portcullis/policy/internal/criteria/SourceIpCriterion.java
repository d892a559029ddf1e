package dev.portcullis.policy.internal.criteria;

import dev.portcullis.policy.AccessRequest;
import dev.portcullis.policy.internal.eval.Reason;
import dev.portcullis.policy.internal.match.IpAddress;
import dev.portcullis.policy.internal.match.IpRange;
import java.util.List;

/** {@code source_ip}: the client address is in one of the ranges (v4 or v6, address or CIDR). */
public final class SourceIpCriterion extends Criterion {

    private final IpRange[] ranges;

    public SourceIpCriterion(String path, List<IpRange> ranges) {
        super(path, "source_ip " + (ranges.size() == 1 ? ranges.get(0).toString() : "in " + ranges),
                Reason.SOURCE_IP_OK, Reason.SOURCE_IP_UNAUTHORIZED);
        this.ranges = ranges.toArray(IpRange[]::new);
    }

    @Override
    protected boolean test(AccessRequest request) {
        IpAddress address = IpAddress.parse(request.clientAddress());
        if (address == null) {
            return false;
        }
        for (IpRange range : ranges) {
            if (range.contains(address)) {
                return true;
            }
        }
        return false;
    }

    @Override
    protected String actual(AccessRequest request) {
        return request.clientAddress().isEmpty()
                ? "your address is unknown"
                : "your address is " + request.clientAddress();
    }
}
