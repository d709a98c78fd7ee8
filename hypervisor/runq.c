/* SPDX-License-Identifier: GPL-2.0-only */
#include "sched.h"

void runq_init(struct runq *q)
{
    q->head = q->tail = NULL;
    q->len = 0;
}

void runq_push(struct runq *q, struct runq_link *l)
{
    if (l->queued)
        return;
    l->next = NULL;
    l->queued = true;
    if (q->tail)
        q->tail->next = l;
    else
        q->head = l;
    q->tail = l;
    q->len++;
}

struct runq_link *runq_pop(struct runq *q)
{
    struct runq_link *l = q->head;
    if (!l)
        return NULL;
    q->head = l->next;
    if (!q->head)
        q->tail = NULL;
    l->next = NULL;
    l->queued = false;
    q->len--;
    return l;
}

bool runq_remove(struct runq *q, struct runq_link *l)
{
    if (!l->queued)
        return false;
    struct runq_link **pp = &q->head, *prev = NULL;
    while (*pp && *pp != l) {
        prev = *pp;
        pp = &(*pp)->next;
    }
    if (!*pp)
        return false;
    *pp = l->next;
    if (q->tail == l)
        q->tail = prev;
    l->next = NULL;
    l->queued = false;
    q->len--;
    return true;
}
