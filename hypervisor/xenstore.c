/* SPDX-License-Identifier: GPL-2.0-only */
#include "xenstore.h"
#include "platform.h"

#define HDR ((uint32_t)sizeof(struct xsd_sockmsg))

static char *last_slash(char *s)
{
    char *at = NULL;
    for (; *s; s++)
        if (*s == '/')
            at = s;
    return at;
}

static const char *find_nul(const char *s, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        if (!s[i])
            return s + i;
    return NULL;
}

/* ---- the store ---- */

static struct xs_node *find(struct xenstore *xs, const char *path)
{
    for (unsigned i = 0; i < XS_NODES; i++)
        if (xs->node[i].used && !strcmp(xs->node[i].path, path))
            return &xs->node[i];
    return NULL;
}

const char *xs_read_node(const struct xenstore *xs, const char *path, uint32_t *len)
{
    struct xs_node *n = find((struct xenstore *)xs, path);
    if (!n)
        return NULL;
    *len = n->len;
    return n->value;
}

/* The node at path, created with its missing parents; NULL when full. */
static struct xs_node *create(struct xenstore *xs, const char *path)
{
    struct xs_node *n = find(xs, path);
    if (n)
        return n;
    if (strcmp(path, "/")) {
        char parent[XS_PATH_LEN];
        snprintf(parent, sizeof(parent), "%s", path);
        char *slash = last_slash(parent);
        if (slash == parent)
            slash[1] = '\0';
        else
            *slash = '\0';
        if (!create(xs, parent))
            return NULL;
    }
    for (unsigned i = 0; i < XS_NODES; i++) {
        if (!xs->node[i].used) {
            n = &xs->node[i];
            *n = (struct xs_node){ .used = true };
            snprintf(n->path, sizeof(n->path), "%s", path);
            return n;
        }
    }
    return NULL;
}

/* Is path below dir (dir itself included when self)? */
static bool below(const char *path, const char *dir, bool self)
{
    size_t n = strlen(dir);
    if (!strcmp(path, dir))
        return self;
    if (!strcmp(dir, "/"))
        return path[0] == '/';
    return !strncmp(path, dir, n) && path[n] == '/';
}

/* The last component of path when it is a direct child of dir, or NULL. */
static const char *child_name(const char *path, const char *dir)
{
    if (!below(path, dir, false))
        return NULL;
    const char *rest = path + (strcmp(dir, "/") ? strlen(dir) + 1 : 1);
    return strchr(rest, '/') ? NULL : rest;
}

static void set_value(struct xs_node *n, const void *v, uint32_t len)
{
    memcpy(n->value, v, len);
    n->len = len;
    if (len < sizeof(n->value))
        n->value[len] = '\0';
}

void xs_init(struct xenstore *xs, struct xenstore_domain_interface *ring, unsigned port, unsigned domid,
             const char *name)
{
    memset(xs, 0, sizeof(*xs));
    xs->ring = ring;
    xs->port = port;
    xs->domid = domid;
    xs->next_tx = 1;
    snprintf(xs->home, sizeof(xs->home), "/local/domain/%u", domid);
    char path[XS_PATH_LEN], id[16];
    snprintf(id, sizeof(id), "%u", domid);
    snprintf(path, sizeof(path), "%s/domid", xs->home);
    set_value(create(xs, path), id, (uint32_t)strlen(id));
    snprintf(path, sizeof(path), "%s/name", xs->home);
    set_value(create(xs, path), name, (uint32_t)MIN(strlen(name), (size_t)XS_VALUE_LEN));
    snprintf(path, sizeof(path), "%s/device", xs->home);
    create(xs, path);
    if (ring) {
        xs->req_cons = __atomic_load_n(&ring->req_cons, __ATOMIC_ACQUIRE);
        xs->rsp_prod = __atomic_load_n(&ring->rsp_prod, __ATOMIC_ACQUIRE);
        ring->server_features = 0;
        ring->connection = XENSTORE_CONNECTED;
    }
}

/* ---- replies ---- */

static void queue(struct xenstore *xs, uint32_t type, uint32_t req_id, uint32_t tx_id, const void *a,
                  uint32_t alen, const void *b, uint32_t blen)
{
    if (xs->rsp_off == xs->rsp_len)
        xs->rsp_off = xs->rsp_len = 0;
    if (xs->rsp_len + HDR + alen + blen > sizeof(xs->rsp)) {
        printk("kmapvisor: xenstore: reply queue full, a %u-byte reply dropped\n", HDR + alen + blen);
        return; /* cannot happen for replies (one request at a time); a watch event is lost */
    }
    struct xsd_sockmsg h = { .type = type, .req_id = req_id, .tx_id = tx_id, .len = alen + blen };
    memcpy(xs->rsp + xs->rsp_len, &h, HDR);
    memcpy(xs->rsp + xs->rsp_len + HDR, a, alen);
    if (blen)
        memcpy(xs->rsp + xs->rsp_len + HDR + alen, b, blen);
    xs->rsp_len += HDR + alen + blen;
}

static void reply(struct xenstore *xs, const struct xsd_sockmsg *req, const void *body, uint32_t len)
{
    queue(xs, req->type, req->req_id, req->tx_id, body, len, NULL, 0);
}

static void reply_ok(struct xenstore *xs, const struct xsd_sockmsg *req)
{
    reply(xs, req, "OK", 3);
}

static void reply_error(struct xenstore *xs, const struct xsd_sockmsg *req, const char *err)
{
    xs->errors++;
    queue(xs, XS_ERROR, req->req_id, req->tx_id, err, (uint32_t)strlen(err) + 1, NULL, 0);
}

/* One event for a watch: its path as registered, or the changed path
 * (relative when the watch was), and its token. */
static void fire(struct xenstore *xs, const struct xs_watch *w, const char *abs)
{
    char path[XS_PATH_LEN];
    const char *p = w->path;
    if (abs) {
        size_t h = strlen(xs->home);
        p = w->path[0] == '/' || w->path[0] == '@' || !below(abs, xs->home, false) ? abs : abs + h + 1;
    }
    snprintf(path, sizeof(path), "%s", p);
    queue(xs, XS_WATCH_EVENT, 0, 0, path, (uint32_t)strlen(path) + 1, w->token, (uint32_t)strlen(w->token) + 1);
}

static void fire_changed(struct xenstore *xs, const char *abs)
{
    for (unsigned i = 0; i < XS_WATCHES; i++)
        if (xs->watch[i].used && xs->watch[i].abs[0] == '/' && below(abs, xs->watch[i].abs, true))
            fire(xs, &xs->watch[i], abs);
}

/* ---- requests ---- */

/* The absolute form of a guest path: checked characters, length, no
 * empty components.  NULL with the error to reply. */
static const char *absolute(struct xenstore *xs, const char *p, char *out, const char **err)
{
    size_t len = strlen(p);
    if (!len || (len > 1 && p[len - 1] == '/') || strstr(p, "//")) {
        *err = "EINVAL";
        return NULL;
    }
    for (const char *c = p; *c; c++) {
        bool ok = (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
                  *c == '-' || *c == '/' || *c == '_' || *c == '@';
        if (!ok) {
            *err = "EINVAL";
            return NULL;
        }
    }
    int n = p[0] == '/' ? snprintf(out, XS_PATH_LEN, "%s", p) : snprintf(out, XS_PATH_LEN, "%s/%s", xs->home, p);
    if (n >= XS_PATH_LEN) {
        *err = "E2BIG";
        return NULL;
    }
    return out;
}

/* The i-th NUL-terminated string of the payload, or NULL. */
static const char *arg(const char *body, uint32_t len, unsigned i, uint32_t *end)
{
    uint32_t at = 0;
    for (;;) {
        const char *nul = find_nul(body + at, len - at);
        if (!nul)
            return NULL;
        if (i-- == 0) {
            if (end)
                *end = (uint32_t)(nul - body) + 1;
            return body + at;
        }
        at = (uint32_t)(nul - body) + 1;
    }
}

static bool tx_open(const struct xenstore *xs, uint32_t id)
{
    for (unsigned i = 0; i < XS_TRANSACTIONS; i++)
        if (id && xs->tx[i] == id)
            return true;
    return false;
}

static void handle(struct xenstore *xs, const struct xsd_sockmsg *h, const char *body)
{
    char abs[XS_PATH_LEN];
    const char *err = "EINVAL", *p = NULL;
    uint32_t end = 0;
    xs->requests++;
    if (h->tx_id && !tx_open(xs, h->tx_id) && h->type != XS_TRANSACTION_START) {
        reply_error(xs, h, "ENOENT");
        return;
    }
    switch (h->type) {
    case XS_READ:
    case XS_DIRECTORY:
    case XS_WRITE:
    case XS_MKDIR:
    case XS_RM: {
        const char *rel = arg(body, h->len, 0, &end);
        if (!rel || (h->type != XS_WRITE && end != h->len) || !(p = absolute(xs, rel, abs, &err)) || p[0] != '/') {
            reply_error(xs, h, p ? "EINVAL" : err);
            return;
        }
        break;
    }
    default:
        break;
    }
    switch (h->type) {
    case XS_READ: {
        struct xs_node *n = find(xs, p);
        if (!n)
            return reply_error(xs, h, "ENOENT");
        return reply(xs, h, n->value, n->len);
    }
    case XS_DIRECTORY: {
        char *list = xs->scratch;
        uint32_t used = 0;
        if (!find(xs, p))
            return reply_error(xs, h, "ENOENT");
        for (unsigned i = 0; i < XS_NODES; i++) {
            const char *c = xs->node[i].used ? child_name(xs->node[i].path, p) : NULL;
            if (!c)
                continue;
            size_t l = strlen(c) + 1;
            if (used + l > sizeof(xs->scratch))
                return reply_error(xs, h, "E2BIG");
            memcpy(list + used, c, l);
            used += (uint32_t)l;
        }
        return reply(xs, h, list, used);
    }
    case XS_WRITE:
    case XS_MKDIR: {
        if (!below(p, xs->home, false))
            return reply_error(xs, h, "EACCES");
        uint32_t vlen = h->len - end;
        if (h->type == XS_WRITE && vlen > XS_VALUE_LEN)
            return reply_error(xs, h, "E2BIG");
        bool existed = find(xs, p) != NULL;
        struct xs_node *n = create(xs, p);
        if (!n)
            return reply_error(xs, h, "ENOSPC");
        if (h->type == XS_WRITE)
            set_value(n, body + end, vlen);
        reply_ok(xs, h);
        if (h->type == XS_WRITE || !existed)
            fire_changed(xs, p);
        return;
    }
    case XS_RM: {
        if (!below(p, xs->home, false))
            return reply_error(xs, h, "EACCES");
        if (!find(xs, p))
            return reply_error(xs, h, "ENOENT");
        for (unsigned i = 0; i < XS_NODES; i++)
            if (xs->node[i].used && below(xs->node[i].path, p, true))
                xs->node[i].used = false;
        reply_ok(xs, h);
        return fire_changed(xs, p);
    }
    case XS_WATCH:
    case XS_UNWATCH: {
        const char *path = arg(body, h->len, 0, NULL), *token = arg(body, h->len, 1, &end);
        if (!path || !token || end != h->len)
            return reply_error(xs, h, "EINVAL");
        if (strlen(token) >= XS_TOKEN_LEN)
            return reply_error(xs, h, "E2BIG");
        if (path[0] != '@' && !absolute(xs, path, abs, &err))
            return reply_error(xs, h, err);
        if (path[0] == '@' && strlen(path) >= XS_PATH_LEN)
            return reply_error(xs, h, "E2BIG");
        struct xs_watch *free = NULL;
        for (unsigned i = 0; i < XS_WATCHES; i++) {
            struct xs_watch *w = &xs->watch[i];
            if (!w->used) {
                free = free ? free : w;
                continue;
            }
            if (!strcmp(w->path, path) && !strcmp(w->token, token)) {
                if (h->type == XS_WATCH)
                    return reply_error(xs, h, "EEXIST");
                w->used = false;
                return reply_ok(xs, h);
            }
        }
        if (h->type == XS_UNWATCH)
            return reply_error(xs, h, "ENOENT");
        if (!free)
            return reply_error(xs, h, "E2BIG");
        *free = (struct xs_watch){ .used = true };
        snprintf(free->path, sizeof(free->path), "%s", path);
        snprintf(free->abs, sizeof(free->abs), "%s", path[0] == '@' ? path : abs);
        snprintf(free->token, sizeof(free->token), "%s", token);
        reply_ok(xs, h);
        return fire(xs, free, NULL); /* once at registration, as xenstored */
    }
    case XS_TRANSACTION_START: {
        if (h->tx_id || !arg(body, h->len, 0, &end) || end != h->len)
            return reply_error(xs, h, "EINVAL");
        for (unsigned i = 0; i < XS_TRANSACTIONS; i++) {
            if (!xs->tx[i]) {
                char id[16];
                xs->tx[i] = xs->next_tx++;
                if (!xs->next_tx)
                    xs->next_tx = 1;
                snprintf(id, sizeof(id), "%u", xs->tx[i]);
                return reply(xs, h, id, (uint32_t)strlen(id) + 1);
            }
        }
        return reply_error(xs, h, "EAGAIN");
    }
    case XS_TRANSACTION_END: {
        const char *how = arg(body, h->len, 0, &end);
        if (!how || end != h->len || (strcmp(how, "T") && strcmp(how, "F")))
            return reply_error(xs, h, "EINVAL");
        if (!h->tx_id)
            return reply_error(xs, h, "ENOENT");
        for (unsigned i = 0; i < XS_TRANSACTIONS; i++)
            if (xs->tx[i] == h->tx_id)
                xs->tx[i] = 0;
        return reply_ok(xs, h);
    }
    case XS_GET_DOMAIN_PATH: {
        const char *id = arg(body, h->len, 0, &end);
        uint64_t domid;
        if (!id || end != h->len || !parse_uint(id, &domid) || domid > 0x7fef)
            return reply_error(xs, h, "EINVAL");
        char path[32];
        snprintf(path, sizeof(path), "/local/domain/%u", (unsigned)domid);
        return reply(xs, h, path, (uint32_t)strlen(path) + 1);
    }
    default:
        return reply_error(xs, h, "ENOSYS");
    }
}

/* ---- the ring ---- */

static void disconnect(struct xenstore *xs, const char *which, uint32_t idx, uint32_t ours)
{
    xs->broken = true;
    printk("kmapvisor: xenstore ring: the guest's %s %u is %u bytes from ours (%u, ring of %u): "
           "backend disconnected\n", which, idx, idx - ours, ours, XENSTORE_RING_SIZE);
}

/* Move queued replies into the rsp ring; true when some moved. */
static bool flush(struct xenstore *xs)
{
    struct xenstore_domain_interface *r = xs->ring;
    uint32_t cons = __atomic_load_n(&r->rsp_cons, __ATOMIC_ACQUIRE);
    uint32_t used = xs->rsp_prod - cons;
    if (used > XENSTORE_RING_SIZE) {
        disconnect(xs, "rsp_cons", cons, xs->rsp_prod);
        return false;
    }
    uint32_t n = MIN(XENSTORE_RING_SIZE - used, xs->rsp_len - xs->rsp_off);
    for (uint32_t i = 0; i < n; i++)
        r->rsp[MASK_XENSTORE_IDX(xs->rsp_prod + i)] = (char)xs->rsp[xs->rsp_off + i];
    xs->rsp_off += n;
    xs->rsp_prod += n;
    __atomic_store_n(&r->rsp_prod, xs->rsp_prod, __ATOMIC_RELEASE);
    return n != 0;
}

bool xs_kick(struct xenstore *xs)
{
    struct xenstore_domain_interface *r = xs->ring;
    bool moved = false;
    if (!r || xs->broken)
        return false;
    for (;;) {
        moved |= flush(xs);
        if (xs->broken || xs->rsp_off < xs->rsp_len)
            break; /* the rest when the guest has made room */
        uint32_t prod = __atomic_load_n(&r->req_prod, __ATOMIC_ACQUIRE); /* read once */
        uint32_t avail = prod - xs->req_cons;
        if (avail > XENSTORE_RING_SIZE) {
            disconnect(xs, "req_prod", prod, xs->req_cons);
            break;
        }
        if (!avail)
            break;
        uint32_t n;
        if (xs->skip) {
            n = MIN(avail, xs->skip);
            xs->skip -= n;
        } else {
            const struct xsd_sockmsg *h = (const struct xsd_sockmsg *)xs->req;
            uint32_t want = xs->req_len < HDR ? HDR : HDR + h->len;
            n = MIN(avail, want - xs->req_len);
            for (uint32_t i = 0; i < n; i++)
                xs->req[xs->req_len + i] = (uint8_t)r->req[MASK_XENSTORE_IDX(xs->req_cons + i)];
            xs->req_len += n;
        }
        xs->req_cons += n;
        __atomic_store_n(&r->req_cons, xs->req_cons, __ATOMIC_RELEASE);
        moved = true;
        if (xs->req_len < HDR)
            continue;
        struct xsd_sockmsg h;
        memcpy(&h, xs->req, HDR);
        if (h.len > XENSTORE_PAYLOAD_MAX) {
            /* Too long to take: refused, its payload dropped as it comes. */
            xs->requests++;
            reply_error(xs, &h, "E2BIG");
            xs->skip = h.len;
            xs->req_len = 0;
            continue;
        }
        if (xs->req_len < HDR + h.len)
            continue;
        handle(xs, &h, (const char *)xs->req + HDR);
        xs->req_len = 0;
    }
    return moved;
}
