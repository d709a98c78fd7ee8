/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kmap_local slot replay with interrupts and NMIs, for SPIN.
 *
 * One CPU, two tasks.  Task t holds n[t] live mappings (frames t*16+1..);
 * the current one has them in slots 0..n-1.  The CPU switches 0 -> 1 and
 * back.  Between any two steps an interrupt may arrive when the virtual
 * interrupt flag allows it, and an NMI may arrive at any step, also
 * inside the interrupt.  Each handler maps a page on top, checks that its
 * slot shows its frame, and unmaps it.
 *
 * Safety, checked by assertions:
 *  - every access through a live mapping reaches the frame its owner
 *    mapped (handlers check theirs; each task checks all of its own after
 *    every switch);
 *  - stack discipline: after a switch the stack holds exactly the
 *    incoming task's entries, and no slot above it is left mapped.
 *
 * Variants (spin -D...): PERENTRY (one per-CPU index; pop the outgoing
 * entries one by one, push the incoming ones one by one), BATCHED (the
 * same in one atomic hypercall), UNSAFE (the rejected RFC: the index is
 * the current task's, and current changes after the replay loops).
 */
#define NSLOTS 8
#define MAXN 3

byte slot[NSLOTS];   /* frame mapped in each slot; 0 = none */
byte idx;            /* the per-CPU index (PERENTRY, BATCHED) */
byte tidx[2];        /* per-task index (UNSAFE) */
byte n[2];
bit cur;
bit masked;
byte irqs = 2;       /* interrupt budget per run (bounds the state space) */
byte nmis = 1;

/* The slot a handler takes and the one it gives back. */
#ifdef UNSAFE
#define TOP tidx[cur]
#else
#define TOP idx
#endif

inline nmi_point() {
    if
    :: nmis > 0 ->
        nmis--;
        byte ns;
        atomic { ns = TOP; TOP++ };
        slot[ns] = 200;
        assert(slot[ns] == 200);
        slot[ns] = 0;
        TOP--
    :: skip
    fi
}

inline irq_point() {
    if
    :: !masked && irqs > 0 ->
        irqs--;
        masked = 1;            /* the upcall runs masked */
        byte is;
        is = TOP; nmi_point();
        TOP++; nmi_point();    /* reserve, then write: an NMI maps above */
        slot[is] = 150; nmi_point();
        assert(slot[is] == 150);
        slot[is] = 0; nmi_point();
        TOP--;
        masked = 0
    :: skip
    fi
}

inline check_task(t) {
    byte c;
    c = 0;
    do
    :: c < n[t] -> assert(slot[c] == t * 16 + c + 1); c++
    :: c >= n[t] && c < NSLOTS -> assert(slot[c] == 0); c++
    :: c == NSLOTS -> break
    od;
#ifndef UNSAFE
    assert(idx == n[t])
#endif
}

inline switch_to(prev, next) {
    byte i;
#ifdef PERENTRY
    i = n[prev];
    do
    :: i > 0 ->
        masked = 1;
        i--;
        slot[idx - 1] = 0; nmi_point();   /* the PTE first ... */
        idx--;                            /* ... then the index */
        masked = 0; irq_point()
    :: else -> break
    od;
    cur = next; irq_point();
    i = 0;
    do
    :: i < n[next] ->
        masked = 1;
        byte s;
        s = idx;
        idx++; nmi_point();
        slot[s] = next * 16 + i + 1; nmi_point();
        masked = 0; irq_point();
        i++
    :: else -> break
    od
#endif
#ifdef BATCHED
    masked = 1; nmi_point();
    atomic {                               /* one hypercall */
        i = 0;
        do :: i < NSLOTS -> slot[i] = 0; i++ :: else -> break od;
        i = 0;
        do :: i < n[next] -> slot[i] = next * 16 + i + 1; i++ :: else -> break od;
        idx = n[next]
    };
    nmi_point();
    cur = next;
    masked = 0; irq_point()
#endif
#ifdef UNSAFE
    i = 0;
    do
    :: i < tidx[prev] -> slot[i] = 0; i++; irq_point(); nmi_point()
    :: else -> break
    od;
    i = 0;
    do
    :: i < tidx[next] -> slot[i] = next * 16 + i + 1; i++; irq_point(); nmi_point()
    :: else -> break
    od;
    cur = next; irq_point()
#endif
}

init {
    /* Any depths up to MAXN for both tasks. */
    if :: n[0] = 0 :: n[0] = 1 :: n[0] = 2 :: n[0] = 3 fi;
    if :: n[1] = 0 :: n[1] = 1 :: n[1] = 2 :: n[1] = 3 fi;
    tidx[0] = n[0]; tidx[1] = n[1];
    byte j;
    j = 0;
    do :: j < n[0] -> slot[j] = j + 1; j++ :: else -> break od;
    idx = n[0];
    cur = 0;
    irq_point();
    switch_to(0, 1);
    check_task(1);
    switch_to(1, 0);
    check_task(0)
}
