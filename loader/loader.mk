# loader: build rules (fragment of the top-level Makefile)
# loader/igvm: the IGVM v1 format, parser (host + 32-bit freestanding),
# writer; loader/igvm-build, igvm-dump, igvm-measure: the host tools.

LOADER_OBJ := $(BUILD)/loader/obj
LOADER_CFLAGS := $(HOST_CFLAGS) -Iloader/igvm

# The parser: used by every tool, the fuzzer and (compiled by the shim's
# own rules) the shim.
IGVM_PARSE_SRCS := loader/igvm/igvm_crc32.c loader/igvm/igvm_decode.c \
	loader/igvm/igvm_parse.c loader/igvm/igvm_names.c
IGVM_LIB := $(BUILD)/loader/libigvm.a

$(LOADER_OBJ)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(LOADER_CFLAGS) -MMD -MP -c -o $@ $<

$(IGVM_LIB): $(patsubst %.c,$(LOADER_OBJ)/%.o,$(IGVM_PARSE_SRCS))
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

# Proof on every build that the parser stays 32-bit freestanding-clean.
IGVM_FREESTANDING_CFLAGS := -m32 -ffreestanding -fno-builtin -nostdlib -fno-pie -O2 \
	-std=gnu11 $(WARN) -Iloader/igvm
$(BUILD)/loader/obj32/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(IGVM_FREESTANDING_CFLAGS) -MMD -MP -c -o $@ $<
IGVM_FREESTANDING_OBJS := $(patsubst %.c,$(BUILD)/loader/obj32/%.o,$(IGVM_PARSE_SRCS))

ALL += $(IGVM_LIB) $(IGVM_FREESTANDING_OBJS)

-include loader/shim/shim.mk
