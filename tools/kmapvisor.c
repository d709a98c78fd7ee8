/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kmapvisor: the command-line front end.
 *
 *   kmapvisor run [options] GUEST [-- ARGS]    boot GUEST on kmapvisor
 *   kmapvisor help
 */
#define _GNU_SOURCE
#include "options.h"
#include "bench.h"
#include <kmapvisor/limits.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void usage(FILE *f)
{
    fprintf(f,
            "usage: kmapvisor run [options] GUEST [-- GUEST-ARGS...]\n"
            "       kmapvisor bench [--short] [--reps N] [--accel A] [--cpu MODEL] [--out DIR] [--plot]\n"
            "       kmapvisor help\n"
            "\n"
            "run options:\n"
            "  --vcpus N            guest vCPUs, 1..%u (default 2)\n"
            "  --pcpus N            physical CPUs of the QEMU machine, 1..%u (default: min(vcpus, host CPUs))\n"
            "  --mem SIZE           guest memory, e.g. 512M, 1G (default %uM)\n"
            "  --lowmem SIZE        the part mapped at %#X, multiple of %uM (default %uM)\n"
            "  --slots N            kmap window slots per vCPU, 1..%u (default %u)\n"
            "  --guard              an unmapped guard page after every slot\n"
            "  --lazy               lazy pops: keep the PTE, reuse it for the same frame\n"
            "  --kmap-policy P      error (default) or stop: what a misused window does\n"
            "  --hv-opt KEY=VALUE   pass a hypervisor option through (e.g. debug.panic=1)\n"
            "  --cached             cached windows: the guest owns the index, KMAPOP_install per miss\n"
            "  --icount             TCG only: QEMU -icount shift=0,sleep=off (deterministic; TSC = instructions)\n"
            "  --plugin SPEC        TCG only: QEMU -plugin SPEC (e.g. build/insn-split.so,out=FILE,...)\n"
            "  --native             boot GUEST natively, without kmapvisor (build/guest-native.elf)\n"
            "  --initrd FILE        a module for the guest (start_info mod_start/mod_len)\n"
            "  --input TEXT         type TEXT on the serial console (\\n \\r \\t \\\\ escapes): the\n"
            "                       guest's console ring input\n"
            "  --input-after TEXT   ...once the console has shown TEXT (e.g. a prompt)\n"
            "  --single-step        test mode: single-step the guest's switch path and raise an\n"
            "                       interrupt at each instruction boundary in turn\n"
            "  --accel A            auto (default), kvm or tcg\n"
            "  --cpu MODEL          QEMU CPU model (default qemu64)\n"
            "  --timeout S          kill the guest after S seconds (default 120)\n"
            "  --hypervisor PATH    kmapvisor image (default: the build's)\n"
            "  --log FILE           also write the console to FILE\n"
            "  --quiet              do not stream the console\n"
            "\n"
            "exit status: 0 poweroff, 1 guest crash, 2 usage, 3 reboot, 4 hypervisor panic,\n"
            "             5 timeout, 6 domain build failed, 7 QEMU failure\n",
            KMV_MAX_VCPUS, KMV_MAX_PCPUS, KMV_DEFAULT_MEM_MB, KMV_GUEST_VIRT_BASE, KMV_LOWMEM_ALIGN_MB,
            KMV_DEFAULT_LOWMEM_MB, KMV_MAX_SLOTS, KMV_DEFAULT_SLOTS);
}

static int bad(const char *opt, const char *val, const char *what)
{
    fprintf(stderr, "kmapvisor: %s: '%s' is not %s\n", opt, val ? val : "", what);
    return RUN_USAGE;
}

static int bad_range(const char *opt, const char *val, unsigned lo, unsigned hi)
{
    char what[48];
    snprintf(what, sizeof(what), "a number from %u to %u", lo, hi);
    return bad(opt, val, what);
}

static int cmd_run(int argc, char **argv)
{
    static const struct option opts[] = {
        { "vcpus", required_argument, 0, 'v' }, { "pcpus", required_argument, 0, 'p' },
        { "mem", required_argument, 0, 'm' },   { "lowmem", required_argument, 0, 'l' },
        { "slots", required_argument, 0, 's' }, { "guard", no_argument, 0, 'g' },
        { "lazy", no_argument, 0, 'z' },        { "kmap-policy", required_argument, 0, 'P' },
        { "accel", required_argument, 0, 'a' }, { "cpu", required_argument, 0, 'c' },
        { "timeout", required_argument, 0, 't' }, { "hypervisor", required_argument, 0, 'H' },
        { "log", required_argument, 0, 'L' },   { "quiet", no_argument, 0, 'q' },
        { "single-step", no_argument, 0, 'S' },
        { "native", no_argument, 0, 'N' },
        { "cached", no_argument, 0, 'C' },
        { "icount", no_argument, 0, 'I' },
        { "hv-opt", required_argument, 0, 'O' },
        { "initrd", required_argument, 0, 'R' },
        { "input", required_argument, 0, 'T' },
        { "input-after", required_argument, 0, 'A' },
        { "plugin", required_argument, 0, 'U' },
        { "help", no_argument, 0, 'h' },        { 0, 0, 0, 0 },
    };
    struct run_config cfg;
    run_config_defaults(&cfg);
    const char *log_path = NULL;
    opterr = 0;
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
        switch (c) {
        case 'v':
            if (!parse_uint_arg(optarg, 1, KMV_MAX_VCPUS, &cfg.vcpus))
                return bad_range("--vcpus", optarg, 1, KMV_MAX_VCPUS);
            break;
        case 'p':
            if (!parse_uint_arg(optarg, 1, KMV_MAX_PCPUS, &cfg.pcpus))
                return bad_range("--pcpus", optarg, 1, KMV_MAX_PCPUS);
            break;
        case 'm':
            if (!parse_size_arg(optarg, &cfg.mem))
                return bad("--mem", optarg, "a size like 512M or 1G");
            break;
        case 'l':
            if (!parse_size_arg(optarg, &cfg.lowmem))
                return bad("--lowmem", optarg, "a size like 128M");
            break;
        case 's':
            if (!parse_uint_arg(optarg, 1, KMV_MAX_SLOTS, &cfg.slots))
                return bad_range("--slots", optarg, 1, KMV_MAX_SLOTS);
            break;
        case 'g': cfg.guard = true; break;
        case 'z': cfg.lazy = true; break;
        case 'P':
            if (!strcmp(optarg, "stop"))
                cfg.policy_stop = true;
            else if (strcmp(optarg, "error"))
                return bad("--kmap-policy", optarg, "error or stop");
            break;
        case 'a':
            if (!strcmp(optarg, "auto")) cfg.accel = ACCEL_AUTO;
            else if (!strcmp(optarg, "kvm")) cfg.accel = ACCEL_KVM;
            else if (!strcmp(optarg, "tcg")) cfg.accel = ACCEL_TCG;
            else return bad("--accel", optarg, "auto, kvm or tcg");
            break;
        case 'c': cfg.cpu_model = optarg; break;
        case 't': {
            char *end;
            cfg.timeout = strtod(optarg, &end);
            if (*end || !(cfg.timeout > 0) || cfg.timeout > 86400)
                return bad("--timeout", optarg, "a number of seconds from 0 to 86400");
            break;
        }
        case 'H': cfg.hypervisor = optarg; break;
        case 'L': log_path = optarg; break;
        case 'q': cfg.quiet = true; break;
        case 'S': cfg.sstep = true; break;
        case 'N': cfg.native = true; break;
        case 'C': cfg.cached = true; break;
        case 'R':
            if (strchr(optarg, ',') || strchr(optarg, ' '))
                return bad("--initrd", optarg, "a path without commas or spaces (QEMU's module list)");
            cfg.initrd = optarg;
            break;
        case 'I': cfg.icount = true; break;
        case 'T': cfg.input = optarg; break;
        case 'A': cfg.input_after = optarg; break;
        case 'U': {
            size_t len = strcspn(optarg, ",");
            if (!len || len < 4 || strncmp(optarg + len - 3, ".so", 3))
                return bad("--plugin", optarg, "a plugin SPEC: a .so path, then ,key=value arguments");
            char path[4096];
            snprintf(path, sizeof(path), "%.*s", (int)len, optarg);
            if (access(path, R_OK))
                return bad("--plugin", optarg, "a readable plugin (the .so does not exist)");
            cfg.plugin = optarg;
            break;
        }
        case 'O': {
            /* key=value, no spaces or commas: it goes on QEMU's -append */
            const char *eq = strchr(optarg, '=');
            if (!eq || eq == optarg || strpbrk(optarg, " ,\t"))
                return bad("--hv-opt", optarg, "a KEY=VALUE without spaces or commas");
            static char extra[256];
            size_t used = strlen(extra);
            if (used + strlen(optarg) + 2 > sizeof(extra))
                return bad("--hv-opt", optarg, "short enough (all --hv-opt together fit in 255 bytes)");
            snprintf(extra + used, sizeof(extra) - used, "%s%s", used ? " " : "", optarg);
            cfg.hv_extra = extra;
            break;
        }
        case 'h': usage(stdout); return 0;
        default:
            fprintf(stderr, "kmapvisor: run: unknown or incomplete option '%s' (see kmapvisor help)\n",
                    argv[optind - 1]);
            return RUN_USAGE;
        }
    }
    if (optind >= argc) {
        fprintf(stderr, "kmapvisor: run: no GUEST given (see kmapvisor help)\n");
        return RUN_USAGE;
    }
    cfg.guest = argv[optind++];
    static char args[2048];
    size_t used = 0;
    if (optind < argc && !strcmp(argv[optind], "--"))
        optind++;
    for (; optind < argc; optind++) {
        int n = snprintf(args + used, sizeof(args) - used, "%s%s", used ? " " : "", argv[optind]);
        if (n < 0 || (size_t)n >= sizeof(args) - used) {
            fprintf(stderr, "kmapvisor: run: guest arguments longer than %zu bytes\n", sizeof(args) - 1);
            return RUN_USAGE;
        }
        used += (size_t)n;
    }
    cfg.guest_args = args;
    if (!run_config_check(&cfg))
        return RUN_USAGE;
    if (log_path && !(cfg.log = fopen(log_path, "w"))) {
        perror(log_path);
        return RUN_USAGE;
    }
    struct run_result res;
    if (run_guest(&cfg, &res) < 0)
        return RUN_QEMU;
    if (cfg.log)
        fclose(cfg.log);
    fprintf(stderr, "kmapvisor: result: %s (exit %d), accelerator %s, %.1f s\n", run_status_name(res.status),
            res.status, accel_name(res.accel_used), res.seconds);
    return res.status;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return RUN_USAGE;
    }
    if (!strcmp(argv[1], "run"))
        return cmd_run(argc - 1, argv + 1);
    if (!strcmp(argv[1], "bench"))
        return cmd_bench(argc - 1, argv + 1);
    if (!strcmp(argv[1], "help") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        usage(stdout);
        return 0;
    }
    fprintf(stderr, "kmapvisor: unknown command '%s' (commands: run, bench, help)\n", argv[1]);
    return RUN_USAGE;
}
