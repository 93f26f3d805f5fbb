package io.shunt.ofproto.flow;

import io.shunt.ofproto.classifier.KeyField;

/**
 * What one apply-action does to the packet's key, so that later tables
 * match the modified packet (OF1.3 section 5.1): set a field, or push/pop a
 * VLAN or MPLS header. Precomputed per action when the entry is installed.
 */
public final class KeyEdit {
    enum Kind { SET, SET2, PUSH_VLAN, POP_VLAN, PUSH_MPLS, POP_MPLS }

    final Kind kind;
    final int word;
    final long clearMask;
    final long setBits;
    final int ethType;
    /** Second word of a 128-bit SET2 (IPv6 addresses): the whole word is replaced. */
    final int word2;
    final long value2;

    private KeyEdit(Kind kind, int word, long clearMask, long setBits, int ethType) {
        this(kind, word, clearMask, setBits, ethType, 0, 0);
    }

    private KeyEdit(Kind kind, int word, long clearMask, long setBits, int ethType, int word2, long value2) {
        this.kind = kind;
        this.word = word;
        this.clearMask = clearMask;
        this.setBits = setBits;
        this.ethType = ethType;
        this.word2 = word2;
        this.value2 = value2;
    }

    static KeyEdit set128(KeyField hi, long hiValue, KeyField lo, long loValue) {
        return new KeyEdit(Kind.SET2, hi.word, hi.wordMask, hiValue, 0, lo.word, loValue);
    }

    static KeyEdit set(KeyField f, long value) {
        return new KeyEdit(Kind.SET, f.word, f.wordMask, (value & f.valueMask) << f.shift, 0);
    }

    static KeyEdit pushVlan() {
        return new KeyEdit(Kind.PUSH_VLAN, 0, 0, 0, 0);
    }

    static KeyEdit popVlan() {
        return new KeyEdit(Kind.POP_VLAN, 0, 0, 0, 0);
    }

    static KeyEdit pushMpls(int ethType) {
        return new KeyEdit(Kind.PUSH_MPLS, 0, 0, 0, ethType);
    }

    static KeyEdit popMpls(int ethType) {
        return new KeyEdit(Kind.POP_MPLS, 0, 0, 0, ethType);
    }

    /** Applies the edit to raw key words (no allocation). */
    void apply(long[] w) {
        switch (kind) {
            case SET -> w[word] = (w[word] & ~clearMask) | setBits;
            case SET2 -> {
                w[word] = setBits;
                w[word2] = value2;
            }
            case PUSH_VLAN -> {
                // OF1.3 section 5.12.1: a new outer tag copies the VID of an existing one, else 0.
                long vid = KeyField.VLAN_VID.get(w);
                KeyField.VLAN_VID.set(w, 0x1000 | (vid & 0xfff));
            }
            case POP_VLAN -> {
                KeyField.VLAN_VID.set(w, 0);
                KeyField.VLAN_PCP.set(w, 0);
            }
            case PUSH_MPLS -> KeyField.ETH_TYPE.set(w, ethType);
            case POP_MPLS -> {
                KeyField.ETH_TYPE.set(w, ethType);
                KeyField.MPLS_LABEL.set(w, 0);
                KeyField.MPLS_TC.set(w, 0);
                KeyField.MPLS_BOS.set(w, 0);
            }
        }
    }
}
