# kmapvisor: top-level build.
#   make          build the hypervisor, the guest, the tools
#   make run      boot the default guest (installs missing packages first)
#   make check    run every test; ends with "N passed, M failed"
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

HV_CFLAGS := -std=gnu11 -O2 -g $(WARN) -ffreestanding -nostdinc -isystem $(GCC_INC) \
	-isystem $(SYSINC) -Iinclude $(XENVER) -fno-pic -fno-pie -mno-red-zone \
	-mcmodel=kernel -mgeneral-regs-only -fno-stack-protector -fno-asynchronous-unwind-tables \
	-fno-omit-frame-pointer -MMD -MP
GUEST_CFLAGS_COMMON := -std=gnu11 -O2 -g $(WARN) -m32 -march=i686 -mregparm=3 -ffreestanding -nostdinc \
	-isystem $(GCC_INC) -isystem $(SYSINC) -Iinclude -Iguest-patches/include $(XENVER) \
	-fno-pic -fno-pie -mgeneral-regs-only -fno-stack-protector -fno-asynchronous-unwind-tables -MMD -MP
GUEST_CFLAGS := $(GUEST_CFLAGS_COMMON) -Iguest/pv
NATIVE_CFLAGS := $(GUEST_CFLAGS_COMMON) -Iguest/native -DKMV_NATIVE

HV_CORE := hypervisor/lib.c hypervisor/frame_alloc.c hypervisor/runq.c hypervisor/event.c \
	hypervisor/elf32.c hypervisor/window.c hypervisor/domain.c hypervisor/hypercall.c \
	hypervisor/schedule.c hypervisor/sstep.c
HV_ARCH_C := $(wildcard arch/x86_64/*.c)
HV_ARCH_S := $(wildcard arch/x86_64/*.S)
HV_OBJS := $(patsubst %.c,$(BUILD)/hv/%.o,$(HV_CORE) $(HV_ARCH_C)) \
	$(patsubst %.S,$(BUILD)/hv/%.o,$(HV_ARCH_S))

KERNEL_C := $(wildcard guest/kernel/*.c) guest-patches/lib/kmap_local.c guest-patches/arch/arches.c
GUEST_C := $(KERNEL_C) $(wildcard guest/pv/*.c) guest-patches/backends/pv.c
GUEST_S := $(wildcard guest/pv/*.S) guest/kernel/switch.S
GUEST_OBJS := $(patsubst %.c,$(BUILD)/guest/%.o,$(GUEST_C)) $(patsubst %.S,$(BUILD)/guest/%.o,$(GUEST_S))

HYPERVISOR := $(BUILD)/kmapvisor.bin
GUEST := $(BUILD)/guest.elf
# The same guest with the deliberately broken replay (a test fixture).
GUEST_BROKEN := $(BUILD)/guest-broken.elf
GUEST_BROKEN_OBJS := $(patsubst $(BUILD)/guest/guest/kernel/sched.o,$(BUILD)/guest-broken/sched.o,$(GUEST_OBJS))
TOOL := $(BUILD)/kmapvisor

all: $(HYPERVISOR) $(GUEST) $(GUEST_BROKEN) $(TOOL) $(UNIT_BIN)

$(SYSINC)/xen:
	@mkdir -p $(SYSINC)
	@test -d $(XEN_INC) || { echo "error: $(XEN_INC) missing: install libxen-dev (make deps)"; exit 1; }
	ln -sfn $(XEN_INC) $(SYSINC)/xen

$(BUILD)/hv/%.o: %.c | $(SYSINC)/xen
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(HV_CFLAGS) -c $< -o $@
$(BUILD)/hv/%.o: %.S | $(SYSINC)/xen
	@mkdir -p $(dir $@)
	@echo "  AS      $<"
	@$(CC) $(HV_CFLAGS) -D__ASSEMBLY__ -c $< -o $@

$(BUILD)/kmapvisor.elf: $(HV_OBJS) arch/x86_64/hypervisor.ld
	ld -nostdlib -z max-page-size=4096 -z noexecstack --no-warn-rwx-segments -T arch/x86_64/hypervisor.ld -o $@ $(HV_OBJS)
$(HYPERVISOR): $(BUILD)/kmapvisor.elf
	objcopy -O binary $< $@

$(BUILD)/guest/%.o: %.c | $(SYSINC)/xen
	@mkdir -p $(dir $@)
	@echo "  CC32    $<"
	@$(CC) $(GUEST_CFLAGS) -c $< -o $@
$(BUILD)/guest/%.o: %.S | $(SYSINC)/xen
	@mkdir -p $(dir $@)
	@echo "  AS32    $<"
	@$(CC) $(GUEST_CFLAGS) -D__ASSEMBLY__ -c $< -o $@
$(GUEST): $(GUEST_OBJS) guest/pv/guest.ld
	$(CC) -m32 -nostdlib -static -no-pie -Wl,-T,guest/pv/guest.ld -Wl,--build-id=none -Wl,--no-warn-rwx-segments -o $@ $(GUEST_OBJS) # no libgcc: its helpers do not follow -mregparm

$(BUILD)/guest-broken/sched.o: guest/kernel/sched.c | $(SYSINC)/xen
	@mkdir -p $(dir $@)
	@echo "  CC32    $< (broken replay fixture)"
	@$(CC) $(GUEST_CFLAGS) -DKMAP_BROKEN_REPLAY -c $< -o $@
$(GUEST_BROKEN): $(GUEST_BROKEN_OBJS) guest/pv/guest.ld
	$(CC) -m32 -nostdlib -static -no-pie -Wl,-T,guest/pv/guest.ld -Wl,--build-id=none -Wl,--no-warn-rwx-segments -o $@ $(GUEST_BROKEN_OBJS) # no libgcc: its helpers do not follow -mregparm

# The same kernel, booted natively (the baseline).
NATIVE := $(BUILD)/guest-native.elf
NATIVE_C := $(KERNEL_C) $(wildcard guest/native/*.c) guest-patches/backends/native.c
NATIVE_S := $(wildcard guest/native/*.S) guest/kernel/switch.S
NATIVE_OBJS := $(patsubst %.c,$(BUILD)/native/%.o,$(NATIVE_C)) $(patsubst %.S,$(BUILD)/native/%.o,$(NATIVE_S))
$(BUILD)/native/%.o: %.c | $(SYSINC)/xen
	@mkdir -p $(dir $@)
	@echo "  CC32N   $<"
	@$(CC) $(NATIVE_CFLAGS) -c $< -o $@
$(BUILD)/native/%.o: %.S | $(SYSINC)/xen
	@mkdir -p $(dir $@)
	@echo "  AS32N   $<"
	@$(CC) $(NATIVE_CFLAGS) -D__ASSEMBLY__ -c $< -o $@
$(NATIVE): $(NATIVE_OBJS) guest/native/native.ld
	$(CC) -m32 -nostdlib -static -no-pie -Wl,-T,guest/native/native.ld -Wl,--build-id=none -Wl,--no-warn-rwx-segments -o $@ $(NATIVE_OBJS) # no libgcc: its helpers do not follow -mregparm
all: $(NATIVE)

TOOL_SRC := $(wildcard tools/*.c)
$(TOOL): $(TOOL_SRC) $(wildcard tools/*.h) include/kmapvisor/abi.h
	@mkdir -p $(BUILD)
	$(HOSTCC) -std=gnu11 -O2 -g $(WARN) -Iinclude -DKMV_BUILD_DIR='"$(abspath $(BUILD))"' -o $@ $(TOOL_SRC)

deps:
	@tools/install-deps.sh

run: deps all
	$(TOOL) run --vcpus 2 $(GUEST) -- workload=stress duration=3000

check: deps all
	@tests/run-all.sh

clean:
	rm -rf $(BUILD)

.PHONY: all deps run check clean
-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)

# Host unit tests (Check): the arch-neutral core compiled for the host.
UNIT_SRC := $(wildcard tests/unit/*.c) hypervisor/lib.c hypervisor/frame_alloc.c hypervisor/runq.c \
	hypervisor/event.c hypervisor/elf32.c hypervisor/window.c
UNIT_BIN := $(BUILD)/unit-tests
$(UNIT_BIN): $(UNIT_SRC) $(wildcard tests/unit/*.h hypervisor/*.h include/kmapvisor/*.h)
	@mkdir -p $(BUILD)
	$(HOSTCC) -std=gnu11 -O1 -g $(WARN) -DKMV_HOSTED -Iinclude $(XENVER) -fsanitize=address,undefined \
		-fno-sanitize-recover=all -o $@ $(UNIT_SRC) $$(pkg-config --cflags --libs check)
unit: $(UNIT_BIN)
	$(UNIT_BIN)
.PHONY: unit
# (UNIT_BIN is defined above; prerequisites are expanded where a rule is read.)
all: $(UNIT_BIN)
check: $(UNIT_BIN)

# Exhaustive interleaving on the host: the guest library and the window core together.
MODEL_BIN := $(BUILD)/interleave
MODEL_SRC := tests/model/interleave.c guest-patches/lib/kmap_local.c hypervisor/window.c hypervisor/lib.c \
	tests/unit/fake_window_env.c tests/unit/host_stubs.c
$(MODEL_BIN): $(MODEL_SRC) $(wildcard guest-patches/include/*.h hypervisor/*.h)
	@mkdir -p $(BUILD)
	$(HOSTCC) -std=gnu11 -O2 -g $(WARN) -DKMV_HOSTED -Iinclude -Iguest-patches/include $(XENVER) \
		-Dkmap_step_hook=harness_step -include tests/model/step_hook.h -o $@ $(MODEL_SRC)
all: $(MODEL_BIN)
check: $(MODEL_BIN)

# The full overhead evaluation (several minutes under TCG; see README).
bench: deps all
	$(TOOL) bench --plot
.PHONY: bench
