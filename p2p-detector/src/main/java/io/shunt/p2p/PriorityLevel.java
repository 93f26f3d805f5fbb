package io.shunt.p2p;

/**
 * The entries of one {@link InPortColumn} at one priority. Entries matching only some
 * packets are counted, not linked: the detector never needs to know which of them is there,
 * only that one is. Entries matching all packets are linked (intrusively, through
 * {@link EntryNode#prev}/{@link EntryNode#next}) because one of them may be the carrier.
 */
final class PriorityLevel {
    int somePacketsCount;
    int allPacketsCount;
    EntryNode allPacketsHead;

    void add(EntryNode node) {
        if (node.matchClass == MatchClass.ALL_PACKETS) {
            node.prev = null;
            node.next = allPacketsHead;
            if (allPacketsHead != null) {
                allPacketsHead.prev = node;
            }
            allPacketsHead = node;
            allPacketsCount++;
        } else {
            somePacketsCount++;
        }
    }

    void remove(EntryNode node) {
        if (node.matchClass == MatchClass.ALL_PACKETS) {
            if (node.prev != null) {
                node.prev.next = node.next;
            } else {
                allPacketsHead = node.next;
            }
            if (node.next != null) {
                node.next.prev = node.prev;
            }
            node.prev = null;
            node.next = null;
            allPacketsCount--;
        } else {
            somePacketsCount--;
        }
    }

    int size() {
        return somePacketsCount + allPacketsCount;
    }
}
