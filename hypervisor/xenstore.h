/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A minimal xenstore, inside the hypervisor, for one domain's ring
 * (Xen's struct xenstore_domain_interface and wire format,
 * <xen/io/xs_wire.h>): what a booting PV guest asks of xenstored.  The
 * store holds the domain's own entries ("domid", "name", an empty
 * "device" directory under /local/domain/<id>) and what the guest
 * writes under its own path.  Requests: READ, DIRECTORY, WRITE, MKDIR,
 * RM, WATCH (fired once at registration, as xenstored does, and on
 * writes below the watched path), UNWATCH, TRANSACTION_START/END (no
 * isolation: one client), GET_DOMAIN_PATH; anything else gets XS_ERROR
 * "ENOSYS".  A malformed request gets an error reply; bogus ring indices
 * disconnect the backend with a diagnostic.  No request waits: every one
 * is answered when it is complete in the ring.  Pure: the caller holds
 * the lock and sends the event when xs_kick says so.
 */
#ifndef HV_XENSTORE_H
#define HV_XENSTORE_H

#include <kmvlib.h>
#include <asm/spinlock.h>
#include <xen/io/xs_wire.h>

#define XS_NODES      48
#define XS_PATH_LEN   128   /* longer paths: E2BIG */
#define XS_VALUE_LEN  128   /* longer values: E2BIG */
#define XS_WATCHES    8
#define XS_TOKEN_LEN  64
#define XS_TRANSACTIONS 4
#define XS_RSP_QUEUE  (2 * (sizeof(struct xsd_sockmsg) + XENSTORE_PAYLOAD_MAX))

struct xs_node {
    bool used;
    char path[XS_PATH_LEN];
    char value[XS_VALUE_LEN];
    uint32_t len;
};

struct xs_watch {
    bool used;
    char path[XS_PATH_LEN];    /* as the guest gave it (events report it so) */
    char abs[XS_PATH_LEN];     /* what it matches */
    char token[XS_TOKEN_LEN];
};

struct xenstore {
    struct xenstore_domain_interface *ring;   /* NULL: none */
    unsigned port, domid;
    uint32_t req_cons, rsp_prod;              /* ours, never read back */
    uint8_t req[sizeof(struct xsd_sockmsg) + XENSTORE_PAYLOAD_MAX];
    uint32_t req_len;                         /* bytes of the request so far */
    uint32_t skip;                            /* payload bytes of a refused request still to drop */
    char home[32];                            /* /local/domain/<id> */
    uint8_t rsp[XS_RSP_QUEUE];                /* replies waiting for ring room */
    uint32_t rsp_len, rsp_off;
    struct xs_node node[XS_NODES];
    struct xs_watch watch[XS_WATCHES];
    char scratch[XENSTORE_PAYLOAD_MAX];       /* a directory listing being built */
    uint32_t tx[XS_TRANSACTIONS], next_tx;    /* open transaction ids (0: free) */
    bool broken;
    uint64_t requests, errors;                /* answered, and of them errors */
    spinlock_t lock;
};

/* The store of domain domid with its entries; ring may be NULL (the
 * store alone, for tests). */
void xs_init(struct xenstore *xs, struct xenstore_domain_interface *ring, unsigned port, unsigned domid,
             const char *name);
/* The guest notified: answer every complete request, move replies into
 * the ring as room allows.  True: send the guest an event. */
bool xs_kick(struct xenstore *xs);
/* The store itself (also for tests): a node's value, or NULL. */
const char *xs_read_node(const struct xenstore *xs, const char *abs_path, uint32_t *len);

#endif
