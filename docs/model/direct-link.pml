/*
 * The direct-link protocol of shunt (docs/direct-link-protocol.md), one
 * direction A=>B, as a Promela model for spin.
 *
 *   GA  the guest shim of VNF A: produces packets 1..N on A.tx, or on the
 *       link ring L once it has switched; may die at any step.
 *   S   the switch's PMD thread that polls A.tx and enqueues to B.rx; it
 *       writes the fence and completes the revert.
 *   GB  the guest shim of VNF B: consumes B.rx, and L once it has passed
 *       the fence; may die at any step (then S takes L over).
 *   CTL the link manager: requests DIRECT, and may revert at any time.
 *
 * Ring positions are free-running counters (no wrap: N is small), exactly
 * as in the implementation, where a position is a 64-bit counter and the
 * slot is position & mask. Each statement is atomic and memory is
 * sequentially consistent: the model checks the protocol's logic; the
 * implementation gets the same orderings from release stores and acquire
 * loads on the words named here (see the protocol document).
 *
 * Checked (see check-model.sh): assertions (GB receives every packet it
 * receives exactly once and in order), no invalid end state (deadlock),
 * and, under weak fairness, the liveness claims below.
 */

#ifndef N
#define N 4
#endif
#define CAP 2

byte atx[CAP]; byte atx_head; byte atx_tail;   /* A.tx: GA -> S        */
byte brx[CAP]; byte brx_head; byte brx_tail;   /* B.rx: S -> GB        */
byte lnk[CAP]; byte l_head;   byte l_tail;     /* L:    GA -> GB (or S) */

byte req;          /* CTL -> GA: 0 none, 1 go DIRECT, 2 go back (revert) */
byte tx_ack;       /* GA -> S: the last request GA has carried out        */
bool switched;     /* GA -> S: GA moved its transmit side to L ...        */
byte switch_pos;   /* ... at this A.tx position (its last packet on A.tx) */
bool fenced;       /* S -> GB: the fence is published ...                 */
byte fence;        /* ... B.rx position after A's last switched packet    */
bool resumed;      /* S: revert done, A.tx polled again past switch_pos   */

bool ga_dead;
bool gb_dead;
#ifdef NODEATH
#define ga_dead_allowed false
#define gb_dead_allowed false
#else
#define ga_dead_allowed true
#define gb_dead_allowed true
#endif
byte sent;         /* packets GA handed to a ring                          */
byte received;     /* packets GB took, in order                            */
byte lost;         /* packets S counted as lost (GB dead)                  */

active proctype CTL() {
    req = 1;
    if
    :: req = 2      /* a flow-mod broke A=>B, at any point of the protocol */
    :: skip
    fi
}

active proctype GA() {
    bool onlink = false;
end_tx:
    do
    /* At any burst boundary the shim may look at the request word. */
    :: req == 1 && tx_ack < 1 ->
        switch_pos = atx_tail;      /* A.tx is not touched while on L */
        switched = true;
        tx_ack = 1;
        onlink = true
    :: req == 2 && tx_ack < 2 ->
        onlink = false;
        tx_ack = 2
    /* One packet of a burst; a full ring makes the VNF retry later. */
    :: sent < N && onlink && l_tail - l_head < CAP ->
        lnk[l_tail % CAP] = sent + 1;
        l_tail++;
        sent++
    :: sent < N && !onlink && atx_tail - atx_head < CAP ->
        atx[atx_tail % CAP] = sent + 1;
        atx_tail++;
        sent++
    :: ga_dead_allowed && !ga_dead -> ga_dead = true; break
    od
}

active proctype S() {
    byte t;
    byte limit;
end_poll:
    do
    :: !gb_dead ->
        /* Poll A.tx: read the tail (acquire) BEFORE the switch word, so a
           tail past switch_pos is never mistaken for pre-switch traffic. */
        t = atx_tail;
        if
        :: resumed || !switched -> limit = t
        :: else -> limit = switch_pos
        fi;
        if
        :: atx_head != limit && brx_tail - brx_head < CAP ->
            brx[brx_tail % CAP] = atx[atx_head % CAP];
            brx_tail++;
            atx_head++
        :: else -> skip
        fi;
        /* The fence: written by this thread, after A's last pre-switch
           packet is enqueued to B.rx. */
        if
        :: switched && !fenced && atx_head == switch_pos ->
            fence = brx_tail;
            fenced = true
        :: else -> skip
        fi;
        /* Revert completes when A is back (or dead) and B has drained L. */
        if
        :: req == 2 && !resumed && (tx_ack == 2 || ga_dead) && (!switched || (fenced && l_head == l_tail)) ->
            resumed = true
        :: else -> skip
        fi
    :: gb_dead && !resumed && (tx_ack == 2 || ga_dead || req == 1) ->
        /* B is gone: S consumes L itself and counts what it cannot deliver. */
        if
        :: l_head != l_tail -> l_head++; lost++
        :: else -> skip
        fi;
        if
        :: (tx_ack == 2 || ga_dead) && l_head == l_tail -> resumed = true
        :: else -> skip
        fi
    od
}

active proctype GB() {
    bool onlink = false;
    byte v;
end_rx:
    do
    :: brx_head != brx_tail ->
        v = brx[brx_head % CAP];
        brx_head++;
        assert(v == received + 1);   /* no loss before, no duplicate, in order */
        received++
    :: !onlink && fenced && brx_head >= fence ->
        onlink = true                /* B.rx is consumed up to the fence */
    :: onlink && l_head != l_tail ->
        v = lnk[l_head % CAP];
        l_head++;
        assert(v == received + 1);
        received++
    :: gb_dead_allowed && !gb_dead -> gb_dead = true; break
    od
}

/* Both VNFs alive: every packet A sent arrives at B. */
ltl delivered { [] ((!ga_dead && !gb_dead) -> <> (gb_dead || ga_dead || received == N)) }
/* A requested revert always completes: A's later packets are not held forever. */
ltl reverted { [] (req == 2 -> <> (resumed || (!switched && tx_ack == 2) || (ga_dead && !switched))) }
