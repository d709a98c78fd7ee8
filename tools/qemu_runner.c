/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Start QEMU with the hypervisor and a guest module, stream the serial
 * console, enforce the timeout, and map QEMU's exit status (written by
 * the hypervisor through isa-debug-exit) to a run status.  With
 * --accel auto, KVM is tried first; a KVM that cannot run the guest
 * ("KVM internal error", as nested paravirtual KVMs give at the first
 * compat-mode hypercall, which the hypervisor probes for at boot) makes
 * us start again under TCG.
 */
#define _GNU_SOURCE
#include "qemu_runner.h"
#include <kmapvisor/limits.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

const char *accel_name(enum accel a)
{
    return a == ACCEL_KVM ? "kvm" : a == ACCEL_TCG ? "tcg" : "auto";
}

const char *run_status_name(enum run_status s)
{
    static const char *const n[] = { "poweroff", "crash", "usage", "reboot", "hypervisor panic",
                                      "timeout", "domain build failed", "qemu failure" };
    return s <= RUN_QEMU ? n[s] : "?";
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static bool kvm_usable(char *why, size_t len)
{
    int fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
    if (fd < 0) {
        snprintf(why, len, "/dev/kvm: %s", strerror(errno));
        return false;
    }
    close(fd);
    snprintf(why, len, "/dev/kvm is usable");
    return true;
}

/* Lines from QEMU that mean "this KVM cannot run us": retry with TCG. */
static bool is_kvm_failure(const char *line)
{
    return strstr(line, "KVM internal error") || strstr(line, "emulation failure") ||
           strstr(line, "failed to initialize kvm") || strstr(line, "Could not access KVM") ||
           strstr(line, "kvm run failed");
}

static enum run_status status_from_exit(int wstatus)
{
    if (!WIFEXITED(wstatus))
        return RUN_QEMU;
    switch (WEXITSTATUS(wstatus)) {
    case (KMV_EXIT_POWEROFF << 1) | 1: return RUN_POWEROFF;
    case (KMV_EXIT_CRASH << 1) | 1: return RUN_CRASH;
    case (KMV_EXIT_REBOOT << 1) | 1: return RUN_REBOOT;
    case (KMV_EXIT_PANIC << 1) | 1: return RUN_PANIC;
    case (KMV_EXIT_BUILD << 1) | 1: return RUN_BUILD;
    default: return RUN_QEMU;
    }
}

struct attempt {
    enum run_status status;
    bool kvm_failed;
    char kvm_line[160];
};

static void emit(const struct run_config *cfg, const char *s, size_t n)
{
    if (!cfg->quiet)
        fwrite(s, 1, n, stdout), fflush(stdout);
    if (cfg->log)
        fwrite(s, 1, n, cfg->log);
}

static void capture(const struct run_config *cfg, size_t *used, const char *s, size_t n)
{
    if (!cfg->capture || cfg->capture_size == 0)
        return;
    size_t room = cfg->capture_size - 1 - *used;
    if (n > room)
        n = room;
    memcpy(cfg->capture + *used, s, n);
    *used += n;
    cfg->capture[*used] = '\0';
}

/* --input with its escapes made bytes. */
static size_t unescape(const char *s, char *out, size_t cap)
{
    size_t n = 0;
    for (; *s && n < cap; s++) {
        char c = *s;
        if (c == '\\' && s[1]) {
            s++;
            c = *s == 'n' ? '\n' : *s == 'r' ? '\r' : *s == 't' ? '\t' : *s;
        }
        out[n++] = c;
    }
    return n;
}

/* Has the console shown the marker?  Whole lines so far are in the
 * capture or were checked; the unfinished one (a prompt) is in line. */
static bool input_due(const struct run_config *cfg, bool *seen, const char *line, size_t linelen)
{
    if (*seen || !cfg->input_after)
        return true;
    if (linelen && memmem(line, linelen, cfg->input_after, strlen(cfg->input_after)))
        *seen = true;
    return *seen;
}

static int attempt_once(const struct run_config *cfg, enum accel accel, double deadline, struct attempt *at)
{
    char mem_mb[32], smp[16], append[512], module[4096], debug_exit[64];
    snprintf(debug_exit, sizeof(debug_exit), "isa-debug-exit,iobase=%#x,iosize=4", KMV_DEBUG_EXIT_PORT);
    snprintf(mem_mb, sizeof(mem_mb), "%llu", (unsigned long long)((cfg->mem >> 20) + 128));
    snprintf(smp, sizeof(smp), "%u", cfg->pcpus);
    snprintf(append, sizeof(append), "mem=%lluK lowmem=%lluK vcpus=%u kmap.slots=%u kmap.guard=%d kmap.lazy=%d kmap.policy=%s kmap.sstep=%d kmap.cached=%d",
             (unsigned long long)(cfg->mem >> 10), (unsigned long long)(cfg->lowmem >> 10), cfg->vcpus,
             cfg->slots, cfg->guard, cfg->lazy, cfg->policy_stop ? "stop" : "error", cfg->sstep, cfg->cached);
    if (cfg->hv_extra && cfg->hv_extra[0]) {
        size_t used = strlen(append);
        snprintf(append + used, sizeof(append) - used, " %s", cfg->hv_extra);
    }
    /* QEMU's multiboot modules: "FILE ARGS,FILE ...": the guest, then its initrd. */
    snprintf(module, sizeof(module), "%s%s%s%s%s", cfg->guest, cfg->guest_args[0] ? " " : "", cfg->guest_args,
             cfg->initrd ? "," : "", cfg->initrd ? cfg->initrd : "");
    if (cfg->native) {
        /* The kernel alone: its own command line carries the machine's shape. */
        snprintf(module, sizeof(module), "cpus=%u lowmem_mb=%llu slots=%u %s", cfg->vcpus,
                 (unsigned long long)(cfg->lowmem >> 20), cfg->slots, cfg->guest_args);
        snprintf(smp, sizeof(smp), "%u", cfg->vcpus);
    }

    /* With -icount shift=0 QEMU runs deterministically and its virtual
     * clock, the TSC included, advances one nanosecond per instruction;
     * sleep=off lets a halted CPU skip ahead instead of waiting. */
    bool icount = cfg->icount && accel == ACCEL_TCG;
    const char *argv[] = {
        "qemu-system-x86_64", "-M", "q35", "-cpu", cfg->cpu_model, "-m", mem_mb, "-smp", smp,
        "-accel", accel == ACCEL_KVM ? "kvm" : "tcg", "-display", "none", "-monitor", "none",
        "-serial", "stdio", "-no-reboot", "-device", debug_exit,
        "-kernel", cfg->native ? cfg->guest : cfg->hypervisor, "-append", cfg->native ? module : append,
        icount ? "-icount" : "-no-reboot", icount ? "shift=0,sleep=off" : "-no-reboot",
        cfg->native ? NULL : "-initrd", module, NULL, NULL, NULL,
    };
    /* A TCG plugin (tools/xen-bench/insn-split.c) goes last. */
    if (cfg->plugin && accel == ACCEL_TCG) {
        size_t end = 0;
        while (argv[end])
            end++;
        argv[end] = "-plugin";
        argv[end + 1] = cfg->plugin;
    }
    int pipefd[2], infd[2] = { -1, -1 };
    if (cfg->input && pipe2(infd, O_CLOEXEC) < 0) {
        perror("kmapvisor: pipe");
        return -1;
    }
    if (pipe2(pipefd, O_CLOEXEC) < 0) {
        perror("kmapvisor: pipe");
        return -1;
    }
    pid_t pid = fork();
    if (pid < 0) {
        perror("kmapvisor: fork");
        return -1;
    }
    if (pid == 0) {
        int devnull = open("/dev/null", O_RDONLY);
        dup2(cfg->input ? infd[0] : devnull, 0);
        dup2(pipefd[1], 1);
        dup2(pipefd[1], 2);
        setpgid(0, 0);
        execvp(argv[0], (char *const *)argv);
        fprintf(stderr, "kmapvisor: cannot run qemu-system-x86_64: %s\n", strerror(errno));
        _exit(127);
    }
    close(pipefd[1]);
    if (cfg->input)
        close(infd[0]);
    bool input_sent = !cfg->input, marker_seen = false;
    char buf[4096], line[1024];
    size_t linelen = 0, captured = cfg->capture ? strlen(cfg->capture) : 0;
    bool timed_out = false, eof = false;
    at->kvm_failed = false;
    while (!eof) {
        double left = deadline - now_s();
        if (left <= 0) {
            timed_out = true;
            break;
        }
        struct pollfd pfd = { pipefd[0], POLLIN, 0 };
        int r = poll(&pfd, 1, (int)(left * 1000) + 1);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            continue;
        ssize_t n = read(pipefd[0], buf, sizeof(buf));
        if (n <= 0) {
            eof = true;
            break;
        }
        /* Stream, but watch whole lines for a KVM failure, and for the
         * marker after which --input is typed. */
        for (ssize_t i = 0; i < n; i++) {
            char c = buf[i];
            if (c == '\r')
                continue;
            if (linelen < sizeof(line) - 1)
                line[linelen++] = c;
            if (c != '\n')
                continue;
            line[linelen] = '\0';
            bool noise = strstr(line, "host doesn't support requested feature") != NULL;
            if (accel == ACCEL_KVM && is_kvm_failure(line) && !at->kvm_failed) {
                at->kvm_failed = true;
                snprintf(at->kvm_line, sizeof(at->kvm_line), "%.*s", (int)(linelen - 1), line);
            }
            if (!noise && !at->kvm_failed) {
                emit(cfg, line, linelen);
                capture(cfg, &captured, line, linelen);
            }
            input_due(cfg, &marker_seen, line, linelen);
            linelen = 0;
        }
        if (at->kvm_failed)
            break;
        if (!input_sent && input_due(cfg, &marker_seen, line, linelen)) {
            char in[1024];
            size_t n = unescape(cfg->input, in, sizeof(in));
            if (write(infd[1], in, n) != (ssize_t)n)
                perror("kmapvisor: writing --input");
            input_sent = true;
        }
    }
    if (cfg->input)
        close(infd[1]);
    if (linelen && !at->kvm_failed) {
        emit(cfg, line, linelen);
        capture(cfg, &captured, line, linelen);
    }
    int wstatus = 0;
    if (timed_out || at->kvm_failed) {
        kill(-pid, SIGKILL);
        kill(pid, SIGKILL);
    }
    waitpid(pid, &wstatus, 0);
    close(pipefd[0]);
    at->status = timed_out ? RUN_TIMEOUT : status_from_exit(wstatus);
    if (!timed_out && !at->kvm_failed && at->status == RUN_QEMU && WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 127)
        return -1;
    return 0;
}

/* Once KVM has failed a guest in this process (bench boots many), auto
 * mode goes straight to TCG, with the first failure as its reason. */
static char kvm_failed_before[160];

int run_guest(const struct run_config *cfg, struct run_result *res)
{
    double start = now_s();
    enum accel accel = cfg->accel;
    memset(res, 0, sizeof(*res));
    if (accel == ACCEL_AUTO && kvm_failed_before[0]) {
        accel = ACCEL_TCG;
        snprintf(res->accel_reason, sizeof(res->accel_reason), "auto: KVM failed earlier in this run (%s), using TCG",
                 kvm_failed_before);
    } else if (accel == ACCEL_AUTO) {
        char why[120];
        if (kvm_usable(why, sizeof(why))) {
            accel = ACCEL_KVM;
            snprintf(res->accel_reason, sizeof(res->accel_reason), "auto: %s", why);
        } else {
            accel = ACCEL_TCG;
            snprintf(res->accel_reason, sizeof(res->accel_reason), "auto: %s, using TCG", why);
        }
    } else {
        snprintf(res->accel_reason, sizeof(res->accel_reason), "asked for");
    }
    if (!cfg->quiet)
        fprintf(stderr, "kmapvisor: accelerator %s (%s)\n", accel_name(accel), res->accel_reason);

    struct attempt at;
    if (attempt_once(cfg, accel, start + cfg->timeout, &at) < 0) {
        res->status = RUN_QEMU;
        return -1;
    }
    if (!at.kvm_failed && accel == ACCEL_KVM && cfg->accel == ACCEL_AUTO && at.status == RUN_QEMU) {
        /* No error line, but the machine reset (a triple fault): a KVM
         * that cannot run this code.  TCG can tell us whether it is ours. */
        at.kvm_failed = true;
        snprintf(at.kvm_line, sizeof(at.kvm_line), "the machine reset under KVM");
    }
    if (at.kvm_failed && cfg->accel == ACCEL_AUTO) {
        snprintf(kvm_failed_before, sizeof(kvm_failed_before), "%s", at.kvm_line);
        snprintf(res->accel_reason, sizeof(res->accel_reason), "auto: KVM failed (%s), fell back to TCG",
                 at.kvm_line);
        if (!cfg->quiet)
            fprintf(stderr, "kmapvisor: KVM cannot run this guest (%s); falling back to TCG\n", at.kvm_line);
        if (cfg->capture)
            cfg->capture[0] = '\0';
        accel = ACCEL_TCG;
        if (attempt_once(cfg, accel, now_s() + cfg->timeout, &at) < 0) {
            res->status = RUN_QEMU;
            return -1;
        }
    } else if (at.kvm_failed) {
        fprintf(stderr, "kmapvisor: KVM cannot run this guest: %s\n", at.kvm_line);
        at.status = RUN_QEMU;
    }
    res->status = at.status;
    res->accel_used = accel;
    res->seconds = now_s() - start;
    if (at.status == RUN_TIMEOUT && !cfg->quiet)
        fprintf(stderr, "kmapvisor: timeout: no result after %.0f s, QEMU killed\n", cfg->timeout);
    return 0;
}
