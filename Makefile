# SPDX-License-Identifier: GPL-2.0-only
# kmapvisor: top-level build.
#   make          build the hypervisor, the guests, the tools and the host tests
#                 (not the fuzzer: make check and make fuzz build it, with clang)
#   make deps     install missing Debian packages (make run / check do it too)
#   make run      boot the default guest and print what it measured
#   make check    run every test; ends with "N passed, M failed"
#   make bench    the full overhead evaluation
#   make xen-bench  Xen 4.17 beside kmapvisor, the same guest (tools/xen-bench/)
#   make clean

BUILD ?= build
CC ?= gcc
HOSTCC ?= gcc
XEN_INC := /usr/include/xen
GCC_INC := $(shell $(CC) -print-file-name=include)

WARN := -Wall -Wextra -Werror
XENVER := -D__XEN_INTERFACE_VERSION__=0x00040e00
# The Xen headers alone, without the rest of /usr/include.
SYSINC := $(BUILD)/sysinc
# Who may include whom (docs/architecture.md; checked by tests/boundaries/check.sh):
# everyone sees the public ABI (include/) and kmvlib (lib/); the core sees
# the arch only through <asm/...>.
COMMON_INC := -I. -Iinclude -Ilib
FREESTANDING := -std=gnu11 -O2 -g $(WARN) -ffreestanding -nostdinc -isystem $(GCC_INC) -isystem $(SYSINC) \
	$(XENVER) -fno-pic -fno-pie -mgeneral-regs-only -fno-stack-protector -fno-asynchronous-unwind-tables \
	-fno-tree-loop-distribute-patterns -MMD -MP

# ---- flavours: one set of object rules each, objects under $(BUILD)/<flavour>/ ----
hv_CFLAGS := $(FREESTANDING) $(COMMON_INC) -Iarch/x86_64/include -mno-red-zone -mcmodel=kernel \
	-fno-omit-frame-pointer
GUEST_BASE_CFLAGS := $(FREESTANDING) $(COMMON_INC) -m32 -march=i686 -mregparm=3 -Iguest-patches/include \
	-Iguest/kernel
guest_CFLAGS := $(GUEST_BASE_CFLAGS) -Iguest/pv
native_CFLAGS := $(GUEST_BASE_CFLAGS) -Iguest/native -DKMV_NATIVE
# The pv guest with the deliberately broken replay (a test fixture).
broken_CFLAGS := $(guest_CFLAGS) -DKMAP_BROKEN_REPLAY

define FLAVOUR
$(BUILD)/$(1)/%.o: %.c | $(SYSINC)/xen
	@mkdir -p $$(dir $$@)
	@echo "  CC [$(1)] $$<"
	@$(CC) $$($(1)_CFLAGS) -c $$< -o $$@
$(BUILD)/$(1)/%.o: %.S | $(SYSINC)/xen
	@mkdir -p $$(dir $$@)
	@echo "  AS [$(1)] $$<"
	@$(CC) $$($(1)_CFLAGS) -D__ASSEMBLY__ -c $$< -o $$@
endef
# The Xen bench's probe guest (tools/xen-bench/probe/): any PV loader's domU.
probe_CFLAGS := $(FREESTANDING) $(COMMON_INC) -m32 -march=i686 -DPROBE_BASE=0xC0000000
$(foreach f,hv guest native broken probe,$(eval $(call FLAVOUR,$(f))))
objs = $(patsubst %,$(BUILD)/$(1)/%.o,$(basename $(2)))

LIB_SRC := $(wildcard lib/*.c)

# ---- the hypervisor ----
HV_SRC := $(LIB_SRC) $(wildcard hypervisor/*.c) $(wildcard arch/x86_64/*.c arch/x86_64/*.S) \
	$(wildcard arch/x86_64/pv/*.c)
HYPERVISOR := $(BUILD)/kmapvisor.bin
$(BUILD)/kmapvisor.elf: $(call objs,hv,$(HV_SRC)) arch/x86_64/hypervisor.ld
	ld -nostdlib -z max-page-size=4096 -z noexecstack --no-warn-rwx-segments -T arch/x86_64/hypervisor.ld \
		-o $@ $(call objs,hv,$(HV_SRC))
$(HYPERVISOR): $(BUILD)/kmapvisor.elf
	objcopy -O binary $< $@

# ---- the mini guest: pv (and its broken twin) and native ----
GUEST_LIB := $(wildcard guest-patches/lib/*.c guest-patches/arch/*.c)
KERNEL_SRC := $(LIB_SRC) $(GUEST_LIB) $(wildcard guest/kernel/*.c) guest/kernel/switch.S
guest_SRC := $(KERNEL_SRC) $(wildcard guest/pv/*.c guest/pv/*.S) guest-patches/backends/pv.c
broken_SRC := $(guest_SRC)
native_SRC := $(KERNEL_SRC) $(wildcard guest/native/*.c guest/native/*.S) guest-patches/backends/native.c
guest_LDS := guest/pv/guest.ld
broken_LDS := guest/pv/guest.ld
native_LDS := guest/native/native.ld
# No libgcc: its helpers do not follow -mregparm (kmvlib divides by itself).
define GUEST_IMAGE
$(2): $$(call objs,$(1),$$($(1)_SRC)) $$($(1)_LDS)
	$(CC) -m32 -nostdlib -static -no-pie -Wl,-T,$$($(1)_LDS) -Wl,--build-id=none -Wl,--no-warn-rwx-segments \
		$(3) -o $$@ $$(call objs,$(1),$$($(1)_SRC))
endef
GUEST := $(BUILD)/guest.elf
GUEST_BROKEN := $(BUILD)/guest-broken.elf
NATIVE := $(BUILD)/guest-native.elf
$(eval $(call GUEST_IMAGE,guest,$(GUEST)))
$(eval $(call GUEST_IMAGE,broken,$(GUEST_BROKEN)))
$(eval $(call GUEST_IMAGE,native,$(NATIVE)))
# The same pv guest linked at 0 (VIRT_BASE 0, as GRUB's Xen image is): the
# loader must place lowmem where the notes say.
GUEST_LOW := $(BUILD)/guest-low.elf
GUEST_LOW_LDFLAGS := -Wl,--defsym=GUEST_BASE=0
$(eval $(call GUEST_IMAGE,guest,$(GUEST_LOW),$$(GUEST_LOW_LDFLAGS)))

# ---- real clients: GRUB's Xen PV port (Debian grub-xen-bin, grub-xen-host) ----
# An image made with grub-mkimage, its embedded config printing, listing
# and halting (tests/boot/grub-test.cfg), and Debian's prebuilt one.
GRUB_TEST := $(BUILD)/grub-test.elf
GRUB_PREBUILT := $(BUILD)/grub-i386-xen.bin
$(GRUB_TEST): tests/boot/grub-test.cfg
	@mkdir -p $(BUILD)
	grub-mkimage -O i386-xen -c $< -p /boot/grub -o $@ echo ls minicmd halt
$(GRUB_PREBUILT): /usr/lib/grub-xen/grub-i386-xen.bin
	@mkdir -p $(BUILD)
	cp $< $@

# ---- the host: tools, unit tests, the interleaving harness ----
HOST_CFLAGS := -std=gnu11 -g $(WARN) -DKMV_HOSTED $(COMMON_INC) $(XENVER)
TOOL := $(BUILD)/kmapvisor
$(TOOL): $(wildcard tools/*.c tools/*.h include/kmapvisor/*.h)
	@mkdir -p $(BUILD)
	$(HOSTCC) $(HOST_CFLAGS) -O2 -DKMV_BUILD_DIR='"$(abspath $(BUILD))"' -o $@ $(wildcard tools/*.c)

# The core and the x86 PV personality, built for the host against a fake
# machine (tests/host/: fake RAM and TLB through <asm/mmu.h>, a fake
# platform): what unit tests and the fuzzer drive.
HOST_CORE_SRC := $(LIB_SRC) $(wildcard hypervisor/*.c) \
	$(filter-out arch/x86_64/pv/exit.c arch/x86_64/pv/context.c,$(wildcard arch/x86_64/pv/*.c)) \
	$(wildcard tests/host/*.c)
HOST_CORE_CFLAGS := $(HOST_CFLAGS) -Itests/host -Iarch/x86_64/include
HOST_DEPS := $(shell find hypervisor arch include lib tests guest-patches -name '*.h')
UNIT_BIN := $(BUILD)/unit-tests
$(UNIT_BIN): $(HOST_CORE_SRC) $(wildcard tests/unit/*.c) $(GUEST_LIB) $(HOST_DEPS)
	@mkdir -p $(BUILD)
	$(HOSTCC) $(HOST_CORE_CFLAGS) -Iguest-patches/include -O1 -fsanitize=address,undefined -fno-sanitize-recover=all -DKMV_BUILD_DIR='"$(abspath $(BUILD))"' \
		-o $@ $(HOST_CORE_SRC) $(wildcard tests/unit/*.c) $(GUEST_LIB) guest-patches/backends/native.c -pthread $$(pkg-config --cflags --libs check)

# Exhaustive interleaving: the shipped guest library and backends, and the
# hypervisor's window core, on the host.
MODEL_BIN := $(BUILD)/interleave
MODEL_SRC := tests/model/interleave.c $(GUEST_LIB) guest-patches/backends/pv.c guest-patches/backends/native.c \
	$(LIB_SRC) hypervisor/window.c tests/unit/fake_window_env.c
$(MODEL_BIN): $(MODEL_SRC) $(HOST_DEPS)
	@mkdir -p $(BUILD)
	$(HOSTCC) $(HOST_CFLAGS) -Iarch/x86_64/include -Iguest-patches/include -O2 \
		-Dkmap_step_hook=harness_step -include tests/model/step_hook.h -o $@ $(MODEL_SRC)

# ---- the Xen side of the bench (tools/xen-bench/, make xen-bench) ----
PROBE := $(BUILD)/xen-probe.elf
PROBE_SRC := tools/xen-bench/probe/head.S tools/xen-bench/probe/probe.c lib/format.c lib/string.c lib/parse.c
$(PROBE): $(call objs,probe,$(PROBE_SRC)) tools/xen-bench/probe/probe.ld
	$(CC) -m32 -nostdlib -static -no-pie -Wl,-T,tools/xen-bench/probe/probe.ld -Wl,--defsym=PROBE_BASE=0xC0000000 \
		-Wl,--build-id=none -Wl,--no-warn-rwx-segments -o $@ $(call objs,probe,$(PROBE_SRC))
# The TCG plugin that splits instructions between guest and hypervisor.
PLUGIN := $(BUILD)/insn-split.so
$(PLUGIN): tools/xen-bench/insn-split.c
	@mkdir -p $(BUILD)
	$(HOSTCC) -std=gnu11 -O2 $(WARN) -shared -fPIC -fvisibility=hidden -o $@ $<

# One table from the runs (tools/xen-bench/xen-bench.sh).
XB_REPORT := $(BUILD)/xen-bench-report
$(XB_REPORT): tools/xen-bench/report.c
	@mkdir -p $(BUILD)
	$(HOSTCC) -std=gnu11 -O2 $(WARN) -o $@ $<

all: $(HYPERVISOR) $(GUEST) $(GUEST_BROKEN) $(GUEST_LOW) $(NATIVE) $(TOOL) $(UNIT_BIN) $(MODEL_BIN) $(GRUB_TEST) \
	$(GRUB_PREBUILT) $(PROBE) $(PLUGIN) $(XB_REPORT)

$(SYSINC)/xen:
	@mkdir -p $(SYSINC)
	@test -d $(XEN_INC) || { echo "error: $(XEN_INC) missing: install libxen-dev (make deps)"; exit 1; }
	ln -sfn $(XEN_INC) $(SYSINC)/xen

deps:
	@tools/install-deps.sh

run: deps
	@$(MAKE) --no-print-directory all
	$(TOOL) run --vcpus 2 $(GUEST) -- workload=stress duration=3000

# check and fuzz also build the fuzzer, which needs clang; all, run and
# bench do not (a fresh machine's make run builds no fuzzer).
check: deps
	@$(MAKE) --no-print-directory all $(FUZZ_BIN)
	@tests/run-all.sh

unit: $(UNIT_BIN)
	$(UNIT_BIN)

bench: deps
	@$(MAKE) --no-print-directory all
	$(TOOL) bench --plot

# The Linux series: baseline and patched kernels on every arch, then the
# unsafe replay (patch 5 on), which must FAIL wherever it boots.
linux-check: deps
	tools/linux-check.sh
	tools/linux-check.sh --unsafe

# Xen 4.17 beside kmapvisor (tools/xen-bench/; downloads and builds cached in
# /var/cache/kmapvisor-xen).  XEN_BENCH_ARGS: e.g. --guest mini.
xen-bench: deps
	@$(MAKE) --no-print-directory all
	tools/xen-bench/xen-bench.sh $(XEN_BENCH_ARGS)

clean:
	rm -rf $(BUILD)

.PHONY: all deps run check unit bench linux-check xen-bench clean
.DEFAULT_GOAL := all
-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)

# The hypercall fuzzer (libFuzzer, clang): the PV layer and the core on the
# fake machine, ASan and UBSan.  make fuzz runs FUZZ_SECONDS (default 600);
# make check runs 60 s of it (tests/suites/60-fuzz.sh).
FUZZ_BIN := $(BUILD)/fuzz-hypercalls
FUZZ_SECONDS ?= 600
$(FUZZ_BIN): $(HOST_CORE_SRC) tests/fuzz/fuzz_hypercalls.c $(HOST_DEPS)
	@mkdir -p $(BUILD)
	clang $(filter-out -Werror,$(HOST_CORE_CFLAGS)) -Werror -O1 -g -fsanitize=fuzzer,address,undefined \
		-fno-sanitize-recover=all -DKMV_BUILD_DIR='"$(abspath $(BUILD))"' -o $@ $(HOST_CORE_SRC) tests/fuzz/fuzz_hypercalls.c
fuzz: deps
	@$(MAKE) --no-print-directory all $(FUZZ_BIN)
	@mkdir -p $(BUILD)/fuzz-corpus
	$(FUZZ_BIN) -max_total_time=$(FUZZ_SECONDS) -max_len=700 -print_final_stats=1 $(BUILD)/fuzz-corpus tests/fuzz/seeds
.PHONY: fuzz
