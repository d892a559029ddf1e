package dev.portcullis.authn.store;

/** A codec for values that are strings already: what the store tests issue codes for when the value does not matter. */
public final class PlainCodec implements OneTimeCodes.Codec<String> {
    @Override
    public String encode(String value) {
        return value;
    }

    @Override
    public String decode(String encoded) {
        return encoded;
    }
}
